package mailtmpl

// layout wraps a default body. Mail clients ignore <style> blocks and
// modern CSS unevenly (Outlook renders with Word), so the layout is a
// centred table with inline styles only, a width that fits phones, and a
// button made of a table cell so it shows in every client.
const layoutHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.ShopName}}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f5">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5">
<tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:#ffffff;border-radius:6px">
<tr><td style="padding:24px 32px;border-bottom:1px solid #e4e4e7;font-family:Helvetica,Arial,sans-serif;font-size:20px;font-weight:bold;color:#18181b">{{.ShopName}}</td></tr>
<tr><td style="padding:32px;font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:24px;color:#18181b">
`

const layoutFoot = `
</td></tr>
<tr><td style="padding:16px 32px;border-top:1px solid #e4e4e7;font-family:Helvetica,Arial,sans-serif;font-size:12px;line-height:18px;color:#71717a">This message was sent by {{.ShopName}} about your account.</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`

// helpers are defined for every HTML template, default or a store's, so
// a store's template can reuse the button.
const helpers = `{{define "button"}}<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td style="border-radius:4px;background-color:#18181b"><a href="{{.}}" style="display:inline-block;padding:12px 24px;font-family:Helvetica,Arial,sans-serif;font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:4px">{{end}}` +
	`{{define "buttonEnd"}}</a></td></tr></table>{{end}}` +
	`{{define "fallback"}}<p style="margin:16px 0 0;font-size:13px;line-height:20px;color:#555555">Or copy this link into your browser:<br><a href="{{.}}" style="color:#2563eb;word-break:break-all">{{.}}</a></p>{{end}}`
