import { benchStore } from './parts/store';
const t = performance.now();
const figs = await benchStore(console.log, { count: Number(process.argv[2] ?? 10000) });
console.log(figs.map((f) => `${f.id} ${f.value.toFixed(3)} ${f.unit} ${f.detail ?? ''}`).join('\n'));
console.log('total', performance.now() - t);
