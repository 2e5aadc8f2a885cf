/**
 * The report page's stylesheet, inlined into every report: system fonts
 * only, so the page looks the same offline and from file://.
 */
export const STYLE = `
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --card: #ffffff; --page: #f1f5f9;
  --pass: #15803d; --fail: #b91c1c; --undecided: #b45309; --warn-bg: #fffbeb; --warn-line: #f59e0b; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 24px 48px; }
h1 { font-size: 30px; line-height: 1.2; margin: 2px 0 6px; word-break: break-word; }
h2 { font-size: 18px; margin: 0 0 12px; }
h3 { font-size: 14px; margin: 16px 0 8px; color: #334155; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
code { background: #f1f5f9; border-radius: 4px; padding: 1px 5px; word-break: break-all; }
pre { background: #0f172a; color: #e2e8f0; padding: 12px 14px; border-radius: 8px; overflow-x: auto; }
.hero { display: flex; align-items: center; justify-content: space-between; gap: 24px; padding: 22px 26px;
  border-radius: 12px; background: var(--card); border-left: 10px solid var(--muted); box-shadow: 0 1px 3px rgba(15,23,42,.08); }
.hero.pass { border-left-color: var(--pass); } .hero.fail { border-left-color: var(--fail); } .hero.undecided { border-left-color: var(--undecided); }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: var(--muted); font-weight: 600; }
.description { margin: 0; color: #334155; max-width: 820px; white-space: pre-wrap; }
.verdict { font-size: 44px; font-weight: 800; letter-spacing: .04em; padding: 6px 22px; border-radius: 10px; color: #fff; background: var(--muted); }
.verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); } .verdict.undecided { background: var(--undecided); font-size: 34px; }
.undecided-reason { margin: 12px 0 0; padding: 10px 14px; border-radius: 8px; background: var(--warn-bg); border: 1px solid var(--warn-line); }
.facts { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 14px 4px 0; }
.facts div { display: flex; gap: 6px; } .facts dt { color: var(--muted); } .facts dd { margin: 0; font-weight: 500; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 12px; margin: 18px 0; }
.figure { background: var(--card); border-radius: 10px; padding: 12px 14px; box-shadow: 0 1px 3px rgba(15,23,42,.08); border-top: 3px solid var(--line); }
.figure .value { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; } .figure .name { color: var(--muted); font-size: 12px; }
.figure.good { border-top-color: var(--pass); } .figure.warn { border-top-color: var(--warn-line); } .figure.bad { border-top-color: var(--fail); }
section { background: var(--card); border-radius: 12px; padding: 18px 22px; margin: 18px 0; box-shadow: 0 1px 3px rgba(15,23,42,.08); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th { text-align: left; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); border-bottom: 2px solid var(--line); padding: 6px 10px; }
td { border-bottom: 1px solid var(--line); padding: 7px 10px; vertical-align: top; }
tbody tr:nth-child(even) td { background: #f8fafc; }
tr.failed td { background: #fef2f2 !important; } tr.warned td { background: var(--warn-bg) !important; }
.num { text-align: right; }
.badge { display: inline-block; font-weight: 700; font-size: 12px; padding: 2px 9px; border-radius: 999px; color: #fff; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); }
.warning { color: #92400e; font-weight: 600; } .ok { color: var(--pass); }
.callout { padding: 10px 14px; border-radius: 8px; margin: 0 0 12px; font-weight: 500; }
.callout.warn { background: var(--warn-bg); border: 1px solid var(--warn-line); color: #78350f; }
.callout.bad { background: #fef2f2; border: 1px solid #fca5a5; color: #7f1d1d; }
.note { color: var(--muted); } .good-text { color: var(--pass); } .bad-text { color: var(--fail); font-weight: 600; }
.chart { overflow-x: auto; } .chart svg { display: block; max-width: 100%; height: auto; }
.chart-keys { display: flex; flex-wrap: wrap; gap: 18px; margin-top: 8px; color: #334155; font-size: 13px; align-items: center; }
.key { display: inline-flex; align-items: center; gap: 6px; }
.key .line { display: inline-block; width: 3px; height: 14px; border-radius: 1px; }
.span-swatch { display: inline-block; width: 18px; height: 12px; background: rgba(220,38,38,.12); border: 1px solid rgba(220,38,38,.25); }
.hint { color: var(--muted); margin-left: auto; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 24px; }
.arrow { color: var(--muted); }
.zones { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 14px; }
.zone h3 { margin-top: 4px; } .zone ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 8px; }
.node { border: 1px solid var(--line); border-left: 4px solid #94a3b8; border-radius: 8px; padding: 7px 10px; display: grid; }
.node.primary { border-left-color: #0f766e; } .node span { color: var(--muted); font-size: 12.5px; } .node .address { font-family: ui-monospace, Menlo, Consolas, monospace; }
.files li { margin: 4px 0; } a { color: #1d4ed8; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 28px; }
`;
