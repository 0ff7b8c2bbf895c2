// The console's style: the time grids, booking cards, agenda and dialogs (over dom.js's base).
export const CONSOLE_STYLE = `
.scroll{overflow:auto;max-height:var(--sc-height,70vh);border:1px solid var(--sc-line);border-radius:var(--sc-radius);position:relative}
.head,.body{display:grid;grid-template-columns:4rem repeat(var(--cols),minmax(var(--sc-col,7rem),1fr));min-width:min-content}
.head{position:sticky;top:0;z-index:3;background:var(--sc-bg);border-bottom:1px solid var(--sc-line)}
.head div{padding:.3rem;font-size:.8rem;text-align:center;border-inline-start:1px solid var(--sc-line);overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.head button{font-size:.8rem;padding:.1rem .3rem;border:0;background:none;text-decoration:underline dotted}
.head .day{overflow:visible;text-align:start}.head .day span{position:sticky;inset-inline-start:4.3rem;padding:0 .3rem}
.body{position:relative;height:calc(var(--rows-h) * 1px)}
.gutter{position:sticky;inset-inline-start:0;z-index:2;background:var(--sc-bg)}.head .corner{position:sticky;inset-inline-start:0;background:var(--sc-bg);z-index:1}
.gutter div{position:absolute;inset-inline-start:0;width:4rem;box-sizing:border-box;font-size:.7rem;color:var(--sc-muted);text-align:end;padding-inline-end:.3rem;white-space:nowrap;transform:translateY(-.5em)}
.col{position:relative;content-visibility:auto;contain-intrinsic-size:auto 7rem auto 100px;border-inline-start:1px solid var(--sc-line);--off:color-mix(in srgb,var(--sc-off) 85%,#0000);background:var(--shade,none),repeating-linear-gradient(var(--sc-bg) 0 calc(var(--sc-hour) - 1px),var(--sc-line) calc(var(--sc-hour) - 1px) var(--sc-hour))}
.ev{position:absolute;margin:0 2px;padding:2px 4px;border:0;border-inline-start:4px solid var(--c);border-radius:4px;background:color-mix(in srgb,var(--c) 18%,var(--sc-bg));
color:var(--sc-fg);font-size:.75rem;text-align:start;overflow:hidden;line-height:1.2;touch-action:none;z-index:1}
.ev b{display:block;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.ev .seats{display:block;font-weight:600}
.ev[data-status=tentative]{background:repeating-linear-gradient(135deg,color-mix(in srgb,var(--c) 18%,var(--sc-bg)) 0 6px,var(--sc-bg) 6px 10px)}
.ev[data-status=cancelled],.ev[data-status=late_cancelled],.ev[data-status=no_show],.ev[data-status=provider_no_show]{opacity:.55;text-decoration:line-through}
.ev[data-status=completed]{opacity:.75}.ev[data-status=held]{border-inline-start-style:dashed;opacity:.85}
.ev.risk{outline:2px dashed var(--sc-bad);outline-offset:-2px}.ev.risk::after{content:"!";position:absolute;inset-inline-end:3px;top:1px;font-weight:800;color:var(--sc-bad)}
.ev.ghost{z-index:4;opacity:.9;box-shadow:0 2px 8px #0004}.ev.ghost.bad{border-inline-start-color:var(--sc-bad);background:color-mix(in srgb,var(--sc-bad) 25%,var(--sc-bg))}
.ev .grip{position:absolute;inset-inline-start:0;inset-inline-end:0;bottom:0;height:6px;cursor:ns-resize}
.body>[role=grid]{position:absolute;inset:0;pointer-events:none}.cell{position:absolute;z-index:2;border:2px solid var(--sc-accent);border-radius:3px;pointer-events:none;background:color-mix(in srgb,var(--sc-accent) 10%,transparent)}
.grid[role=grid]:focus-within .cell{box-shadow:0 0 0 2px var(--sc-bg)}
.chip{display:block;font-size:.7rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;border-inline-start:3px solid var(--c);padding-inline-start:3px;margin-top:2px}
.chip.risk{outline:1px dashed var(--sc-bad);outline-offset:-1px}
.dots{display:none;flex-wrap:wrap;gap:2px;align-items:center;margin-top:2px}.dots i{width:6px;height:6px;border-radius:50%;background:var(--c)}
.dots i.risk{box-shadow:0 0 0 1.5px var(--sc-bad)}.dots b{font-size:.68rem;margin-inline-start:1px}
.agenda{list-style:none;padding:0;margin:0}.agenda h3{font-size:.9rem;margin:.8rem 0 .3rem}
.agenda li button{display:flex;flex-wrap:wrap;gap:.1rem .6rem;width:100%;text-align:start;border:0;border-inline-start:4px solid var(--c);margin:.15rem 0}
.agenda .t{white-space:nowrap;font-variant-numeric:tabular-nums}
dialog{border:1px solid var(--sc-line);border-radius:var(--sc-radius);background:var(--sc-bg);color:var(--sc-fg);max-width:min(32rem,94vw)}
dialog::backdrop{background:#0005}dialog h3{margin:.2rem 0 .6rem}dialog dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem .8rem;font-size:.9rem}
dialog dt{color:var(--sc-muted)}dialog dd{margin:0;overflow-wrap:anywhere}.actions{display:flex;flex-wrap:wrap;gap:.4rem;margin-top:.8rem}
dialog ol{padding-inline-start:1.2rem}dialog li{margin:.25rem 0}
@container (max-width:480px){.gutter div{width:3rem}.head,.body{grid-template-columns:3rem repeat(var(--cols),minmax(var(--sc-col,5.5rem),1fr))}.chip{display:none}.dots{display:flex}
.scroll{scroll-snap-type:x proximity;scroll-padding-inline-start:3rem}.col{scroll-snap-align:start}}

form.visit{display:grid;gap:.5rem}form.visit fieldset{border:1px solid var(--sc-line);border-radius:var(--sc-radius);display:grid;gap:.3rem}
form.visit textarea,form.visit input:not([type=checkbox]){font:inherit;padding:.3rem;border:1px solid var(--sc-line);border-radius:4px;background:var(--sc-bg);color:var(--sc-fg);max-width:100%}
form.visit .check{display:flex;gap:.4rem;align-items:center}form.visit fieldset>button{justify-self:start}.parts td{padding:0 .2rem 0 0}.parts input{width:100%}
.pad{width:100%;max-width:300px;aspect-ratio:3/1;border:1px dashed var(--sc-muted);border-radius:4px;touch-action:none;background:var(--sc-bg);cursor:crosshair}
.pad path{fill:none;stroke:var(--sc-fg);stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
@media print{
/* A day's (or week's) schedule on paper: the period's title, every booking with its times and
   clients in full, the colours kept; the controls, the keyboard cell and dialogs left out. */
.bar>:not(h2),.bar label,.cell,dialog,.msg,.grip,.live{display:none!important}
.scroll{max-height:none;overflow:visible;border:0}.head{position:static}
.ev{print-color-adjust:exact;-webkit-print-color-adjust:exact;overflow:visible;border:1px solid var(--c);border-inline-start-width:4px}
.ev b{white-space:normal}.chip,.dots i{print-color-adjust:exact;-webkit-print-color-adjust:exact}}`;
