<header style="display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:.5rem;margin-bottom:1rem">
  <nav aria-label="Main" style="display:flex;gap:1rem;flex-wrap:wrap;align-items:center">
    <strong>${company} · NPS</strong>
    <a href="/">Overview</a> <a href="/segments">Segments</a> <a href="/campaigns">Campaigns</a> <a href="/responses">Responses</a> <a href="/themes">Themes</a> <a href="/cases">Cases</a> <a href="/suppressions">Suppressions</a><#if role == "admin"> <a href="/users">Users</a></#if>
  </nav>
  <form method="post" action="/logout" style="margin:0"><span class="muted">${user} (${role})</span>
    <button type="submit" style="margin:0;min-height:36px;background:#fff;color:var(--brand);border:1px solid var(--line)">Sign out</button></form>
</header>
