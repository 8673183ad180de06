<#-- The loop's figures beside NPS (issue 14.7): the cases opened in the overview's period; model "loop" from followup/LoopFigures. -->
<section class="kpis" id="loop-figures" aria-label="Closing the loop, last 90 days">
  <a class="card kpi" href="/cases" style="color:inherit;text-decoration:none"><div class="muted">Cases still open (of ${loop.opened} opened in 90 days)</div><div class="value" id="kpi-open-cases">${loop.open}</div></a>
  <a class="card kpi" href="/cases" style="color:inherit;text-decoration:none"><div class="muted">Overdue cases</div><div class="value" id="kpi-overdue-cases">${loop.overdue}</div></a>
  <a class="card kpi" href="/cases" style="color:inherit;text-decoration:none"><div class="muted">Closed within due time</div><div class="value" id="kpi-closed-within-due">${loop.closedWithinDue}</div></a>
  <a class="card kpi" href="/cases" style="color:inherit;text-decoration:none"><div class="muted">Detractors recovered (of ${loop.resurveyed} re-surveyed)</div><div class="value" id="kpi-recovery-rate">${loop.recoveryRate}</div></a>
</section>
