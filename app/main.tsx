import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useStudio } from './store';
import { startStudio } from './editor/startup';
import { startHistory } from './history/startHistory';
import { startUserDatasets } from './datasets/startUserDatasets';
import './styles.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html must contain <div id="root">.');

// Outside React so StrictMode's double effects cannot load the graph twice.
void startStudio(useStudio);
startHistory(useStudio);
void startUserDatasets(useStudio);

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
