package client

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/kasir/pos/jsonread"
	"github.com/kasir/pos/sync/wire"
)

// A catch-up page is up to 1,000 changes, most of whose bytes are orders,
// and a page usually holds several changes of one order of which only the
// last is stored. splitPage walks the message once, cuts each change's
// order out as raw bytes and decodes only the rest, so an order is decoded
// once per page and never scanned twice. Anything not in the shape the
// cloud writes makes it give up, and the caller decodes the message the
// general way, change by change.

// splitPage reads a changes message the fast way; ok is false when it cannot.
func splitPage(data []byte) (wirePage, bool) {
	var wp wirePage
	i := skipSpace(data, 0)
	ok := members(data, i, func(key []byte, v, end int) bool {
		if oddKey(key, `"from"`, `"to"`, `"head"`, `"items"`, `"type"`) {
			return false
		}
		switch string(key) {
		case `"from"`, `"to"`, `"head"`:
			n, err := strconv.ParseUint(string(data[v:end]), 10, 64)
			if err != nil {
				return false
			}
			switch string(key) {
			case `"from"`:
				wp.From = n
			case `"to"`:
				wp.To = n
			default:
				wp.Head = n
			}
		case `"items"`:
			items, ok := splitItems(data[v:end])
			if !ok {
				return false
			}
			wp.Items = items
		}
		return true
	})
	return wp, ok
}

// splitItems reads the items array.
func splitItems(arr []byte) ([]wireChange, bool) {
	if len(arr) < 2 || arr[0] != '[' {
		return nil, false
	}
	items := make([]wireChange, 0, 64)
	i := skipSpace(arr, 1)
	if i < len(arr) && arr[i] == ']' {
		return items, true
	}
	for i < len(arr) {
		end, ok := skipValue(arr, i)
		if !ok {
			return nil, false
		}
		it, ok := splitItem(arr[i:end])
		if !ok {
			return nil, false
		}
		items = append(items, it)
		i = skipSpace(arr, end)
		if i >= len(arr) {
			return nil, false
		}
		if arr[i] == ']' {
			return items, true
		}
		if arr[i] != ',' {
			return nil, false
		}
		i = skipSpace(arr, i+1)
	}
	return nil, false
}

// splitItem decodes one change but its order, which it keeps as raw bytes.
func splitItem(obj []byte) (wireChange, bool) {
	var order, events []byte
	rest := make([]byte, 0, 256)
	rest = append(rest, '{')
	ok := members(obj, 0, func(key []byte, v, end int) bool {
		if oddKey(key, `"order"`, `"events"`) {
			return false
		}
		if string(key) == `"order"` {
			order = obj[v:end]
			return true
		}
		if string(key) == `"events"` {
			events = obj[v:end]
		}
		if len(rest) > 1 {
			rest = append(rest, ',')
		}
		rest = append(append(append(rest, key...), ':'), obj[v:end]...)
		return true
	})
	if !ok {
		return wireChange{}, false
	}
	rest = append(rest, '}')
	var wc wireChange
	if jsonread.Unmarshal(rest, &wc) != nil {
		return wireChange{}, false
	}
	wc.Order = order
	if raw := splitArray(events); len(raw) == len(wc.Events) {
		wc.eventsJSON = raw
	}
	return wc, true
}

// splitArray cuts a JSON array into its elements' bytes; nil when it cannot.
func splitArray(arr []byte) []json.RawMessage {
	if len(arr) < 2 || arr[0] != '[' {
		return nil
	}
	var out []json.RawMessage
	i := skipSpace(arr, 1)
	if i < len(arr) && arr[i] == ']' {
		return out
	}
	for i < len(arr) {
		end, ok := skipValue(arr, i)
		if !ok {
			return nil
		}
		out = append(out, arr[i:end])
		i = skipSpace(arr, end)
		if i >= len(arr) {
			return nil
		}
		if arr[i] == ']' {
			return out
		}
		if arr[i] != ',' {
			return nil
		}
		i = skipSpace(arr, i+1)
	}
	return nil
}

// oddKey reports a key the decoder might take for one of known (it matches
// names without regard to case, and reads escapes) that is not spelled
// exactly so; the fast way gives up on it rather than read it differently.
func oddKey(key []byte, known ...string) bool {
	if bytes.IndexByte(key, '\\') >= 0 {
		return true
	}
	for _, k := range known {
		if string(key) != k && bytes.EqualFold(key, []byte(k)) {
			return true
		}
	}
	return false
}

// members calls fn with each key (quotes included) of the object at
// data[i:] and the span of its value; it stops, false, on anything odd.
func members(data []byte, i int, fn func(key []byte, v, end int) bool) bool {
	if i >= len(data) || data[i] != '{' {
		return false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return true
	}
	for i < len(data) {
		kend, ok := skipString(data, i)
		if !ok {
			return false
		}
		key := data[i:kend]
		i = skipSpace(data, kend)
		if i >= len(data) || data[i] != ':' {
			return false
		}
		v := skipSpace(data, i+1)
		end, ok := skipValue(data, v)
		if !ok || !fn(key, v, end) {
			return false
		}
		i = skipSpace(data, end)
		if i >= len(data) {
			return false
		}
		if data[i] == '}' {
			return true
		}
		if data[i] != ',' {
			return false
		}
		i = skipSpace(data, i+1)
	}
	return false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// skipString returns the end of the string starting at b[i].
func skipString(b []byte, i int) (int, bool) {
	if i >= len(b) || b[i] != '"' {
		return 0, false
	}
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '"':
			return j + 1, true
		case '\\':
			j++
		}
	}
	return 0, false
}

// skipValue returns the end of the value starting at b[i]; objects and
// arrays are matched by depth, strings skipped whole. Literals are not
// checked here: whatever is decoded later is checked by the decoder.
func skipValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, ok := skipString(b, j)
				if !ok {
					return 0, false
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, true
				}
			}
		}
		return 0, false
	default:
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\r' && b[j] != '\t' {
			j++
		}
		if j == i {
			return 0, false
		}
		return j, true
	}
}

// messageType reads the type of a message the cloud wrote ("type" first)
// without scanning the rest; anything else goes through the decoder.
func messageType(data []byte) (string, error) {
	const prefix = `{"type":"`
	if bytes.HasPrefix(data, []byte(prefix)) {
		rest := data[len(prefix):]
		if end := bytes.IndexByte(rest, '"'); end >= 0 && bytes.IndexByte(rest[:end], '\\') < 0 {
			return string(rest[:end]), nil
		}
	}
	var env wire.Envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return "", err
	}
	return env.Type, nil
}
