  :root { --ink: #1f2328; --muted: #57606a; --brand: #0a58ca; --line: #d0d7de; --bg: #f6f8fa; }
  * { box-sizing: border-box; }
  body { margin: 0; background: var(--bg); color: var(--ink); font: 16px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
  main { max-width: 44rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 1.25rem; margin-bottom: 1rem; }
  .muted { color: var(--muted); }
  h1 { font-size: 1.3rem; margin: 0 0 1rem; }
  label { display: block; font-weight: 600; margin-bottom: .4rem; }
  input[type=password] { width: 100%; font: inherit; padding: .6rem; border: 1px solid #8c959f; border-radius: 8px; }
  button { margin-top: 1rem; min-height: 44px; padding: 0 1.2rem; font: inherit; font-weight: 600; color: #fff; background: var(--brand); border: 0; border-radius: 8px; cursor: pointer; }
  :focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
  .error { color: #b42318; font-weight: 600; }
  .score { display: inline-block; min-width: 3rem; padding: .3rem .6rem; border-radius: 8px; font-weight: 700; font-size: 1.4rem; text-align: center; color: #fff; }
  .detractor { background: #b42318; } .passive { background: #8a6d00; } .promoter { background: #1a7f37; }
  table { width: 100%; border-collapse: collapse; } td, th { text-align: left; padding: .4rem .3rem; border-bottom: 1px solid var(--line); vertical-align: top; }
  main.wide { max-width: 72rem; }
  .table-wrap { overflow-x: auto; }
  .filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; }
  .filters label { font-weight: 600; display: block; }
  select, input[type=search] { font: inherit; padding: .45rem; border: 1px solid #8c959f; border-radius: 8px; min-height: 40px; }
  .inline { display: inline; }
  .inline button { margin: 0; min-height: 34px; padding: 0 .8rem; }
  .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 1rem; margin-bottom: 1rem; }
  .kpi .value { font-size: 2rem; font-weight: 700; }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem; }
  .chart { position: relative; height: 18rem; }
  .comments li { margin-bottom: .8rem; list-style: none; }
  .comments { padding: 0; margin: 0; }
  .chip { display: inline-block; margin: .1rem .2rem 0 0; padding: .05rem .55rem; border: 1px solid var(--line); border-radius: 999px; background: var(--bg); font-size: .85rem; color: var(--ink); text-decoration: none; }
  .impact.drag { color: #b42318; font-weight: 700; }
  /* a table marked "sticky" scrolls sideways inside its .table-wrap with its first column kept in view */
  table.sticky th:first-child, table.sticky td:first-child { position: sticky; left: 0; background: #fff; z-index: 1; box-shadow: 1px 0 0 var(--line); }
  table.sticky td, table.sticky th { white-space: nowrap; }
  .download { font-size: .85rem; font-weight: 400; margin-left: .5rem; white-space: nowrap; }
  form.filters input[type=date] { font: inherit; padding: .4rem; border: 1px solid #8c959f; border-radius: 8px; min-height: 40px; }
  form.filters select { max-width: calc(100vw - 5rem); }
  .views { display: flex; flex-wrap: wrap; gap: .5rem 1rem; margin: 0 0 .75rem; }
  .views a[aria-current=page] { font-weight: 700; color: var(--ink); text-decoration: none; }
  /* on a phone, a table marked "stack" shows each row as a card, every cell labelled: no column hides off to the side */
  @media (max-width: 40rem) {
    table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
    table.stack tr { border-bottom: 1px solid var(--line); padding: .4rem 0; }
    table.stack td { border: 0; padding: .15rem 0; overflow-wrap: anywhere; }
    table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
  }
