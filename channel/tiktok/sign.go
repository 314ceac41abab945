package tiktok

import (
	"net/url"
	"sort"
	"strings"

	"github.com/kasir/pos/channel"
)

// Sign is TikTok Shop's request signature ("Sign your API request",
// https://partner.tiktokshop.com/docv2/page/678e3a3d4ddec3030b238faf):
// every query parameter but sign and access_token, sorted by name and
// written name then value, after the path; the JSON body after them (any
// request that is not multipart); the whole wrapped in the app secret; and
// hex HMAC-SHA256 of that with the app secret as key.
func Sign(secret, path string, query url.Values, body []byte) string {
	keys := make([]string, 0, len(query))
	for k := range query {
		if k != "sign" && k != "access_token" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.Grow(2*len(secret) + len(path) + len(body) + 64)
	b.WriteString(secret)
	b.WriteString(path)
	for _, k := range keys {
		b.WriteString(k)
		b.WriteString(query.Get(k))
	}
	b.Write(body)
	b.WriteString(secret)
	return channel.SignHex(secret, []byte(b.String()))
}

// PushSignature is what TikTok Shop puts in a webhook's Authorization
// header: hex HMAC-SHA256(app_secret, app_key + body), no "Bearer". The
// configuration guide (https://partner.tiktokshop.com/docv2/page/650512b42f024f02be19755f)
// says only that the header carries a signature made with the app secret;
// the app key prefix is as TikTok's SDKs and EcomPHP's Webhook::verify compute it.
func PushSignature(appKey, appSecret string, body []byte) string {
	msg := make([]byte, 0, len(appKey)+len(body))
	msg = append(append(msg, appKey...), body...)
	return channel.SignHex(appSecret, msg)
}
