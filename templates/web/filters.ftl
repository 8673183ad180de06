<#-- The filter of a figure page: dates and segment, in the query string (a filtered view is a link).
     The page's model comes from dashboard/FilterPages. -->
<form class="card filters" method="get" action="${filter.path}" id="filters" aria-label="Filter">
  <#list filter.hidden as h><input type="hidden" name="${h.name}" value="${h.value}"></#list>
  <div><label for="from">From</label><input type="date" id="from" name="from" value="${filter.from}"></div>
  <div><label for="to">To</label><input type="date" id="to" name="to" value="${filter.to}"></div>
  <div><label for="where">Segment</label><select id="where" name="where">
    <option value="">All contacts</option>
    <#list segments as s><optgroup label="${s.name}"><#list s.options as o><option value="${o.value}"<#if o.selected> selected</#if>>${s.name} = ${o.label}</option></#list></optgroup></#list>
  </select></div>
  <div><button type="submit" id="apply-filter" style="margin:0">Apply</button></div>
  <#if filter.active><div><a href="${filter.path}<#if filter.hidden?has_content>?<#list filter.hidden as h>${h.name}=${h.value?url('UTF-8')}<#sep>&amp;</#list></#if>" id="clear-filter">Clear</a></div></#if>
  <#if filter.segment?has_content><p class="muted" style="flex-basis:100%;margin:0" id="filter-segment">Contacts with ${filter.segment}</p></#if>
</form>
<#macro download table><a class="download" id="download-${table}" href="${filter.path}?<#if filter.query?has_content>${filter.query}&amp;</#if>download=${table}">Download CSV</a></#macro>
