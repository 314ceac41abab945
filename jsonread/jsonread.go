// Package jsonread reads the JSON the stores keep and the cloud sends:
// orders and change pages, decoded by the thousand in a sweep, a catch-up
// or a search page. It is encoding/json's Unmarshal, rules and all, done by
// go-json-experiment's v1 package (encoding/json's API on the Go team's
// v2 engine) in about half the time. Records are still written by
// encoding/json; this package only reads.
package jsonread

import jsonv1 "github.com/go-json-experiment/json/v1"

// Unmarshal decodes data into v as encoding/json.Unmarshal does.
func Unmarshal(data []byte, v any) error { return jsonv1.Unmarshal(data, v) }
