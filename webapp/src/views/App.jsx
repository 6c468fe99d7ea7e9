import { useEffect, useState } from 'preact/hooks';
import { SignIn } from './SignIn.jsx';
import { StatusBar } from './StatusBar.jsx';
import { Verdicts } from './Verdicts.jsx';
import { CustomerList } from './CustomerList.jsx';
import { CustomerPage } from './CustomerPage.jsx';
import { NewCustomer } from './NewCustomer.jsx';
import { History } from './History.jsx';
import { Conflicts } from './Conflicts.jsx';

function useHash() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

function page(hash, props) {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'customers' && parts[1] && parts[2] === 'history') {
    return <History customerId={parts[1]} {...props} />;
  }
  if (parts[0] === 'customers' && parts[1]) return <CustomerPage customerId={parts[1]} {...props} />;
  if (parts[0] === 'new') return <NewCustomer {...props} />;
  if (parts[0] === 'conflicts') return <Conflicts {...props} />;
  return <CustomerList {...props} />;
}

export function App({ controller }) {
  const [state, setState] = useState(controller.state);
  const hash = useHash();
  useEffect(() => {
    const unsubscribe = controller.subscribe(setState);
    setState(controller.state); // what changed before this effect ran
    return unsubscribe;
  }, [controller]);
  if (!state.ready) return <p>Opening the local copy…</p>;
  if (!state.token) return <SignIn controller={controller} state={state} />;
  return (
    <>
      <header>
        <nav aria-label="Main">
          <a href="#/">Customers</a>
          <a href="#/conflicts">Conflicts</a>
        </nav>
        <StatusBar controller={controller} state={state} />
      </header>
      <Verdicts controller={controller} state={state} />
      <main>{page(hash, { controller, state })}</main>
    </>
  );
}
