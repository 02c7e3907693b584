export { default } from './components/CatalogPage';
