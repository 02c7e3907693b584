export { default } from './components/ProductPage';
