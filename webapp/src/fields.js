// The customer's fields and the rule each value must follow (the server's own
// rules, checked before a command is queued so a mistake is caught at the field).

export const FIELDS = ['name', 'email', 'phone', 'address', 'supplier', 'description', 'status'];
export const STATUSES = ['active', 'on_hold', 'closed'];
export const ADDRESS_PARTS = ['street', 'city', 'postal_code', 'country'];

export const COMMAND_OF_FIELD = {
  name: 'ChangeName', email: 'ChangeEmail', phone: 'ChangePhone', address: 'ChangeAddress',
  supplier: 'ChangeSupplier', description: 'ChangeDescription', status: 'ChangeStatus',
};
export const FIELD_OF_COMMAND = Object.fromEntries(
  Object.entries(COMMAND_OF_FIELD).map(([field, kind]) => [kind, field]));

// ISO 3166-1 alpha-2, as the server's pycountry knows them.
const COUNTRIES = new Set(`
  AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
  BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
  DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
  GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
  KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
  MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
  PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
  SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
  US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
`.trim().split(/\s+/));

const EMAIL = /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/;
const PHONE = /^[0-9 +\-()]{3,40}$/;

export class InvalidValue extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

function length(field, value, low, high) {
  if (value.length < low || value.length > high) {
    throw new InvalidValue(field, `must be ${low} to ${high} characters long`);
  }
  return value;
}

// Text typed in a form: an empty optional field means "no value" (null).
const optional = (check) => (value) => (value === null || value === '' ? null : check(value));

const RULES = {
  name: (value) => length('name', String(value ?? '').trim(), 1, 200),
  email: optional((value) => {
    if (!EMAIL.test(value)) throw new InvalidValue('email', 'not a valid email address');
    return value;
  }),
  phone: optional((value) => {
    if (!PHONE.test(value)) {
      throw new InvalidValue('phone', 'must be 3 to 40 characters of digits, spaces and +-()');
    }
    return value;
  }),
  address: (value) => checkAddress(value),
  supplier: optional((value) => length('supplier', value, 1, 200)),
  description: optional((value) => length('description', value, 0, 10000)),
  status: (value) => {
    if (!STATUSES.includes(value)) {
      throw new InvalidValue('status', `must be one of ${STATUSES.join(', ')}`);
    }
    return value;
  },
};

// An address is all four parts or none at all.
function checkAddress(value) {
  if (value === null) return null;
  const parts = Object.fromEntries(ADDRESS_PARTS.map((p) => [p, (value[p] ?? '').trim()]));
  const given = ADDRESS_PARTS.filter((p) => parts[p] !== '');
  if (given.length === 0) return null;
  const missing = ADDRESS_PARTS.find((p) => parts[p] === '');
  if (missing) {
    throw new InvalidValue(`address.${missing}`, 'an address needs street, city, postal code and country');
  }
  for (const part of ['street', 'city', 'postal_code']) length(`address.${part}`, parts[part], 1, 200);
  parts.country = parts.country.toUpperCase();
  if (!COUNTRIES.has(parts.country)) {
    throw new InvalidValue('address.country', 'must be an ISO 3166-1 alpha-2 code, such as FR');
  }
  return parts;
}

/** The value as it is sent (names trimmed, empty optional text as null), or throws InvalidValue. */
export function checkValue(field, value) {
  return RULES[field](value);
}

/** Checks every field of a form; returns {values, errors} keyed by field (address parts as address.part). */
export function checkForm(form) {
  const values = {};
  const errors = {};
  for (const [field, value] of Object.entries(form)) {
    try {
      values[field] = checkValue(field, value);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      errors[error.field] = error.message;
    }
  }
  return { values, errors };
}

/** Whether two field values are the same (addresses compared part by part). */
export function sameValue(a, b) {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    return ADDRESS_PARTS.every((p) => a[p] === b[p]);
  }
  return (a ?? null) === (b ?? null);
}
