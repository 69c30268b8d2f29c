// @argus/cli: the `argus` command.
export { main } from './main.js';
