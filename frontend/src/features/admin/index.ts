export { default } from './components/AdminPage';
