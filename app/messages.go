package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Lang is a language staff read, by its code: "en" or "id".
type Lang string

// The languages every message is written in.
const (
	English    Lang = "en"
	Indonesian Lang = "id"
)

// Langs lists the languages staff can choose, English first.
var Langs = []Lang{English, Indonesian}

// ParseLang accepts "en" or "id" (and "" for English). Errors: EInvalid.
func ParseLang(s string) (Lang, error) {
	switch l := Lang(strings.ToLower(strings.TrimSpace(s))); l {
	case "":
		return English, nil
	case English, Indonesian:
		return l, nil
	}
	return "", FieldError("Language", "must be en or id, not %q", s)
}

// catalogues maps each language but English from the English format (the
// message key) to that language's format. English needs none: the key is the text.
var catalogues = map[Lang]map[string]string{
	Indonesian: indonesian,
}

// Translate returns key in lang, or key itself where the catalogue has none.
func Translate(lang Lang, key string) string {
	if t, ok := catalogues[lang][key]; ok {
		return t
	}
	return key
}

// Translated reports whether lang has its own text for key (English always has).
func Translated(lang Lang, key string) bool {
	if lang == English {
		return true
	}
	_, ok := catalogues[lang][key]
	return ok
}

// Word is a label staff read (a status, an action, a field, a channel): its
// English is its key, so it is translated wherever it is shown.
type Word string

// In is the word in lang.
func (w Word) In(lang Lang) string { return Translate(lang, string(w)) }

// Message is text for staff kept as its English format (the key) and its
// arguments, so each reader sees it in their own language. Arguments that are
// words (statuses, actions, channels, couriers, fields) are translated too.
type Message struct {
	Key  string
	Args []any
}

// Text makes a message from a constant English format and its arguments.
// Anything with a Label (Status, Action, Channel...) is shown as its label.
func Text(format string, args ...any) Message {
	m := Message{Key: format}
	if len(args) > 0 {
		m.Args = make([]any, len(args))
		for i, a := range args {
			m.Args[i] = messageArg(a)
		}
	}
	return m
}

// labelled is a code with a label staff read.
type labelled interface{ Label() string }

// messageArg keeps an argument in one of the few shapes a message stores and
// sends: string, int64, float64, bool, Word or Message.
func messageArg(a any) any {
	switch v := a.(type) {
	case nil:
		return ""
	case Message:
		return v
	case *Message:
		if v == nil {
			return ""
		}
		return *v
	case Word:
		return v
	case string:
		return v
	case bool:
		return v
	case int:
		return int64(v)
	case int8:
		return int64(v)
	case int16:
		return int64(v)
	case int32:
		return int64(v)
	case int64:
		return v
	case uint:
		return int64(v)
	case uint8:
		return int64(v)
	case uint16:
		return int64(v)
	case uint32:
		return int64(v)
	case uint64:
		return int64(v)
	case float32:
		return float64(v)
	case float64:
		return v
	case time.Duration:
		return durationText(v)
	case time.Time:
		return v.Format("2006-01-02 15:04")
	case labelled:
		return Word(v.Label())
	case error:
		var m messager
		if errors.As(v, &m) {
			return m.Text()
		}
		return v.Error()
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(a)
}

// durationText says a duration in whole days, hours or minutes.
func durationText(d time.Duration) Message {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return Text("%d days", int64(d/(24*time.Hour)))
	case d >= time.Hour && d%time.Hour == 0:
		return Text("%d hours", int64(d/time.Hour))
	case d%time.Minute == 0:
		return Text("%d minutes", int64(d/time.Minute))
	}
	return Message{Key: d.String()}
}

// IsZero reports whether the message says nothing.
func (m Message) IsZero() bool { return m.Key == "" && len(m.Args) == 0 }

// In renders the message in lang.
func (m Message) In(lang Lang) string {
	format := Translate(lang, m.Key)
	if len(m.Args) == 0 && !strings.Contains(format, "%") {
		return format
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		switch v := a.(type) {
		case Message:
			args[i] = v.In(lang)
		case Word:
			args[i] = v.In(lang)
		default:
			args[i] = v
		}
	}
	return fmt.Sprintf(format, args...)
}

// String is the message in English, for logs and peers that read text.
func (m Message) String() string { return m.In(English) }

// Verbatim is text from a peer that sent no message key (an older cloud):
// shown as sent, translated only when it is itself a catalogue key.
func Verbatim(s string) Message { return Message{Key: strings.ReplaceAll(s, "%", "%%")} }

// staffText is text staff or a buyer typed: shown as typed in every language.
func staffText(s string) Message { return Text("%s", strings.TrimSpace(s)) }

// joinText puts messages one after another with "; " between them.
func joinText(ms ...Message) Message {
	var parts []Message
	for _, m := range ms {
		if !m.IsZero() {
			parts = append(parts, m)
		}
	}
	switch len(parts) {
	case 0:
		return Message{}
	case 1:
		return parts[0]
	}
	args := make([]any, len(parts))
	for i, p := range parts {
		args[i] = p
	}
	return Message{Key: strings.TrimSuffix(strings.Repeat("%s; ", len(parts)), "; "), Args: args}
}

// messager is anything (an app error) that can say itself as a Message.
type messager interface{ Text() Message }

// MessageOf is an error as a message: an application error keeps its key and
// arguments; anything else is its text.
func MessageOf(err error) Message {
	if err == nil {
		return Message{}
	}
	var m messager
	if errors.As(err, &m) {
		return m.Text()
	}
	return Message{Key: strings.ReplaceAll(err.Error(), "%", "%%")}
}

// jsonArg is how one argument travels: exactly one field is set.
type jsonArg struct {
	S *string  `json:"s,omitempty"`
	I *int64   `json:"i,omitempty"`
	F *float64 `json:"f,omitempty"`
	B *bool    `json:"b,omitempty"`
	W *Word    `json:"w,omitempty"`
	M *Message `json:"m,omitempty"`
}

type jsonMessage struct {
	Key  string    `json:"key"`
	Args []jsonArg `json:"args,omitempty"`
}

// MarshalJSON keeps the arguments' kinds, so a stored or synced message
// renders the same in every language.
func (m Message) MarshalJSON() ([]byte, error) {
	j := jsonMessage{Key: m.Key, Args: make([]jsonArg, len(m.Args))}
	for i, a := range m.Args {
		switch v := messageArg(a).(type) {
		case string:
			j.Args[i].S = &v
		case int64:
			j.Args[i].I = &v
		case float64:
			j.Args[i].F = &v
		case bool:
			j.Args[i].B = &v
		case Word:
			j.Args[i].W = &v
		case Message:
			j.Args[i].M = &v
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote; an argument of no known kind is empty text.
func (m *Message) UnmarshalJSON(data []byte) error {
	var j jsonMessage
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	m.Key, m.Args = j.Key, nil
	for _, a := range j.Args {
		var v any = ""
		switch {
		case a.S != nil:
			v = *a.S
		case a.I != nil:
			v = *a.I
		case a.F != nil:
			v = *a.F
		case a.B != nil:
			v = *a.B
		case a.W != nil:
			v = *a.W
		case a.M != nil:
			v = *a.M
		}
		m.Args = append(m.Args, v)
	}
	return nil
}
