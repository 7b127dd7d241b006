import { benchCore } from './parts/core';
const figs = await benchCore(console.log);
console.log(figs);
