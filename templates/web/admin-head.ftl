<#-- The start of every dashboard page, down to the navigation; the page sets ${title} first. -->
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<meta name="robots" content="noindex, nofollow">
<title>${company} – ${title}</title>
<style>
<#include "admin.css.ftl">
</style>
</head>
<body>
<main class="wide">
<#include "nav.ftl">
