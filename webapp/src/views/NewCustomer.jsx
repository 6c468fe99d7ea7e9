import { useState } from 'preact/hooks';
import { registerCommand } from '../edits.js';
import { CustomerForm, formOf, valuesOf } from './CustomerForm.jsx';

export function NewCustomer({ controller }) {
  const [form, setForm] = useState(formOf(null));
  const [errors, setErrors] = useState({});
  const onInput = (key, value) => setForm({ ...form, [key]: value });
  const save = async (event) => {
    event.preventDefault();
    const { errors: broken, command } = registerCommand(valuesOf(form));
    setErrors(broken);
    if (!command) return;
    await controller.queue([command]);
    location.hash = `#/customers/${command.customer_id}`;
  };
  return (
    <form onSubmit={save} noValidate>
      <h1>New customer</h1>
      <CustomerForm form={form} errors={errors} onInput={onInput} />
      <button type="submit">Save changes</button>
    </form>
  );
}
