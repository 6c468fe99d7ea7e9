import { describe, expect, it } from 'vitest';
import { checkForm, checkValue, InvalidValue, sameValue } from '../src/fields.js';

describe('field rules', () => {
  it('trims names and refuses empty or over-long ones', () => {
    expect(checkValue('name', '  Acme ')).toBe('Acme');
    expect(() => checkValue('name', '   ')).toThrow(InvalidValue);
    expect(() => checkValue('name', 'x'.repeat(201))).toThrow(/1 to 200/);
  });

  it('takes an empty optional field as no value', () => {
    expect(checkValue('email', '')).toBeNull();
    expect(checkValue('supplier', '')).toBeNull();
  });

  it('refuses an email that is not an address, and a bad phone', () => {
    expect(() => checkValue('email', 'not-an-address')).toThrow(/email/);
    expect(() => checkValue('email', 'a@b')).toThrow(InvalidValue);
    expect(checkValue('email', 'jane@example.com')).toBe('jane@example.com');
    expect(() => checkValue('phone', 'call me')).toThrow(InvalidValue);
    expect(checkValue('phone', '+33 (1) 23-45')).toBe('+33 (1) 23-45');
  });

  it('wants an address whole or not at all, with an ISO country', () => {
    const parts = { street: '1 Rue de Rivoli', city: 'Paris', postal_code: '75001', country: 'fr' };
    expect(checkValue('address', parts)).toEqual({ ...parts, country: 'FR' });
    expect(checkValue('address', { street: '', city: '', postal_code: '', country: '' })).toBeNull();
    expect(checkForm({ address: { ...parts, city: '' } }).errors).toEqual({
      'address.city': 'an address needs street, city, postal code and country' });
    expect(Object.keys(checkForm({ address: { ...parts, country: 'XX' } }).errors))
      .toEqual(['address.country']);
  });

  it('knows the statuses', () => {
    expect(checkValue('status', 'on_hold')).toBe('on_hold');
    expect(() => checkValue('status', 'gone')).toThrow(InvalidValue);
  });

  it('compares addresses part by part', () => {
    const a = { street: 's', city: 'c', postal_code: 'p', country: 'FR' };
    expect(sameValue(a, { ...a })).toBe(true);
    expect(sameValue(a, { ...a, city: 'd' })).toBe(false);
    expect(sameValue(null, undefined)).toBe(true);
  });
});
