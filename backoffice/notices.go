package backoffice

import (
	"net/http"
	"slices"
	"strings"

	"github.com/kasir/pos/app"
)

// noticeRow is one event the shop may tell buyers about, with its wording in each language.
type noticeRow struct {
	Event app.NoticeEvent
	On    bool
	ID    app.NoticeTemplate
	EN    app.NoticeTemplate
}

func (bo *BackOffice) noticesPage(w http.ResponseWriter, r *http.Request, v *visit) {
	bo.showNotices(w, r, v, nil, http.StatusOK)
}

func (bo *BackOffice) showNotices(w http.ResponseWriter, r *http.Request, v *visit, formErr error, status int) {
	ns, err := bo.cloud.Notices(v.shop.ID)
	if err != nil {
		bo.fail(w, r, v, err)
		return
	}
	var rows []noticeRow
	for _, ev := range app.NoticeEvents {
		rows = append(rows, noticeRow{Event: ev, On: ns.On(ev), ID: ns.Template(ev, app.Indonesian), EN: ns.Template(ev, app.English)})
	}
	var names []string
	for p := range app.NoticePlaceholders {
		names = append(names, "{"+p+"}")
	}
	slices.Sort(names)
	data := map[string]any{"Notices": rows, "Placeholders": names, "Saved": r.URL.Query().Get("saved")}
	if formErr != nil {
		data["Error"] = app.ErrorMessageIn(formErr, v.lang)
	}
	w.WriteHeader(status)
	bo.render(w, r, "notices", v, data)
}

// saveNotice switches one event on or off and keeps its wording in both
// languages, through the cloud's SetNotices (the shop's policy, sent to
// every terminal); app names a placeholder it does not know.
func (bo *BackOffice) saveNotice(w http.ResponseWriter, r *http.Request, v *visit) {
	ev := app.NoticeEvent(r.PathValue("event"))
	if !slices.Contains(app.NoticeEvents, ev) {
		http.NotFound(w, r)
		return
	}
	_, err := bo.cloud.SetNotices(v.shop.ID, func(ns *app.NoticeSettings) error {
		ns.Switch(ev, r.PostFormValue("on") == "1")
		for _, l := range []app.Lang{app.Indonesian, app.English} {
			t := app.NoticeTemplate{Subject: r.PostFormValue("subject_" + string(l)), Body: strings.ReplaceAll(r.PostFormValue("body_"+string(l)), "\r\n", "\n")}
			if t == app.DefaultNoticeTemplate(ev, l) {
				t = app.NoticeTemplate{}
			}
			if err := ns.SetTemplate(ev, l, t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		bo.showNotices(w, r, v, err, http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, "/backoffice/shops/"+v.shop.ID+"/settings/notices?saved="+string(ev)+"#notice-"+string(ev), http.StatusSeeOther)
}
