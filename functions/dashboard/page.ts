// The dashboard's HTML shell and stylesheet; everything else is drawn by web/main.ts.

export const dashboardHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ldam-runner</title>
<link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body>
<header><nav aria-label="main"><a href="#/">Runs</a> <a href="/docs">API reference</a>
<button type="button" id="forget-key">Forget key</button></nav></header>
<main id="app"><p>Loading…</p></main>
<script type="module" src="/assets/dashboard.js"></script>
</body>
</html>
`;

export const dashboardCss = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
header{background:#183b56;padding:.5rem 1rem}header a{color:#fff;margin-right:1rem}
header button{float:right}
main{padding:1rem 1.5rem;max-width:80rem}
table{border-collapse:collapse;background:#fff;margin:.5rem 0}
td,th{border:1px solid #d0d0d0;padding:.25rem .5rem;text-align:left}
th{background:#eef1f4}
.status{padding:0 .35rem;border-radius:3px;background:#e0e0e0}
.status.running{background:#cfe8ff}.status.succeeded{background:#c9efd2}
.status.failed,.status.timed_out{background:#ffd6d2}.status.cancelled{background:#eee3c4}
.error{color:#a4000f;font-weight:600}.failed{color:#a4000f}
pre{background:#fff;border:1px solid #d0d0d0;padding:.5rem;max-height:20rem;overflow:auto}
figure{margin:.5rem 0;background:#fff;overflow-x:auto}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
a{color:#0b5cad}
`;
