package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/kasir/pos/app"
)

// whatsAppAccount is a shop's WhatsApp Business Cloud API account
// (docs/accounts.md: token, phone_number_id, api_base).
type whatsAppAccount struct {
	token, phoneNumberID, apiBase string
}

// whatsAppAPIVersion is the Graph API version the messages are sent to.
const whatsAppAPIVersion = "v21.0"

var whatsAppClient = &http.Client{Timeout: 30 * time.Second}

// whatsAppError is the Graph API's refusal, as its error object words it.
type whatsAppError struct {
	Status  int
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *whatsAppError) Error() string {
	return fmt.Sprintf("WhatsApp refused it: %s (code %d, HTTP %d)", e.Message, e.Code, e.Status)
}

// sendWhatsApp sends the event's approved template to the buyer through the
// Cloud API, in the shape of
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
// (POST /{phone-number-id}/messages, type "template"), and returns the
// message id WhatsApp accepted it under.
func sendWhatsApp(ctx context.Context, acc whatsAppAccount, phone string, ns app.NoticeSettings, o *app.Order, d app.DueNotice, shop string) (string, error) {
	type param struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	var params []param
	for _, v := range ns.WhatsAppValues(o, d.Event, shop) {
		params = append(params, param{Type: "text", Text: v})
	}
	body := map[string]any{
		"messaging_product": "whatsapp",
		"recipient_type":    "individual",
		"to":                strings.TrimPrefix(phone, "+"),
		"type":              "template",
		"template": map[string]any{
			"name":       ns.WhatsAppTemplates[d.Event],
			"language":   map[string]string{"code": string(app.BuyerLang(o))},
			"components": []any{map[string]any{"type": "body", "parameters": params}},
		},
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return "", err
	}
	url := strings.TrimRight(acc.apiBase, "/") + "/" + whatsAppAPIVersion + "/" + acc.phoneNumberID + "/messages"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(raw))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+acc.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := whatsAppClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode != http.StatusOK {
		var e struct {
			Error whatsAppError `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		e.Error.Status = res.StatusCode
		if e.Error.Message == "" {
			e.Error.Message = http.StatusText(res.StatusCode)
		}
		return "", &e.Error
	}
	var ok struct {
		Messages []struct {
			ID string `json:"id"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(data, &ok); err != nil || len(ok.Messages) == 0 || ok.Messages[0].ID == "" {
		return "", fmt.Errorf("WhatsApp answered without a message id: %.200s", data)
	}
	return "accepted as " + ok.Messages[0].ID, nil
}

// whatsAppReply says why a WhatsApp send failed, for the history.
func whatsAppReply(err error) string {
	var we *whatsAppError
	if errors.As(err, &we) {
		return fmt.Sprintf("%s (%d)", we.Message, we.Code)
	}
	return "cannot reach WhatsApp: " + err.Error()
}
