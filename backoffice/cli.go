package backoffice

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

type cliFunc = func(ctx context.Context, fs *flag.FlagSet, args []string, admin func() cloud.Admin, stdout io.Writer) error

// commands are the CLI's back office commands.
var commands = map[string]cliFunc{
	"owner add":   ownerAdd,
	"owner reset": ownerReset,
	"report":      reportCmd,
}

// ownerRequest is `owner add` through the admin socket.
type ownerRequest struct {
	Shop     string `json:"shop"`
	Email    string `json:"email"`
	Password string `json:"password"`
	Role     Role   `json:"role"`
}

// ownerReply is what `owner add` and `owner reset` print.
type ownerReply struct {
	Email string   `json:"email"`
	Role  Role     `json:"role"`
	Shops []string `json:"shops"`
	// Link is the path of a one-time reset link (owner reset).
	Link string `json:"link,omitempty"`
}

// reportRequest is `report` through the admin socket.
type reportRequest struct {
	Shop string `json:"shop"`
	From string `json:"from"`
	To   string `json:"to"`
}

func adminRoutes(s *cloud.Server, mux *http.ServeMux) {
	store := func() (Store, error) { return StoreFor(s.Store()) }
	mux.HandleFunc("POST /admin/backoffice/owners", func(w http.ResponseWriter, r *http.Request) {
		var req ownerRequest
		if err := cloud.DecodeJSON(r, &req); err != nil {
			s.WriteError(w, err)
			return
		}
		st, err := store()
		var rep *ownerReply
		if err == nil {
			rep, err = addOwner(s.Store(), st, req)
		}
		if err != nil {
			s.WriteError(w, err)
			return
		}
		cloud.WriteJSON(w, http.StatusOK, rep)
	})
	mux.HandleFunc("POST /admin/backoffice/resets", func(w http.ResponseWriter, r *http.Request) {
		var req ownerRequest
		if err := cloud.DecodeJSON(r, &req); err != nil {
			s.WriteError(w, err)
			return
		}
		st, err := store()
		var rep *ownerReply
		if err == nil {
			rep, err = resetOwner(st, req.Email)
		}
		if err != nil {
			s.WriteError(w, err)
			return
		}
		cloud.WriteJSON(w, http.StatusOK, rep)
	})
	mux.HandleFunc("POST /admin/backoffice/report", func(w http.ResponseWriter, r *http.Request) {
		var req reportRequest
		if err := cloud.DecodeJSON(r, &req); err != nil {
			s.WriteError(w, err)
			return
		}
		rep, err := ShopReport(s.Store(), storedCountable(s.Store()), s.Products, req.Shop, req.From, req.To, time.Now())
		if err != nil {
			s.WriteError(w, err)
			return
		}
		cloud.WriteJSON(w, http.StatusOK, rep)
	})
}

func addOwner(b cloud.Backend, st Store, req ownerRequest) (*ownerReply, error) {
	if _, err := b.Shop(strings.TrimSpace(req.Shop)); err != nil {
		return nil, err
	}
	o, err := AddOwner(st, req.Email, req.Password, strings.TrimSpace(req.Shop), req.Role, time.Now())
	if err != nil {
		return nil, err
	}
	return &ownerReply{Email: o.Email, Role: o.Role, Shops: o.Shops}, nil
}

func resetOwner(st Store, email string) (*ownerReply, error) {
	secret, err := ResetLink(st, email, time.Now())
	if err != nil {
		return nil, err
	}
	o, err := st.Owner(strings.ToLower(strings.TrimSpace(email)))
	if err != nil {
		return nil, err
	}
	return &ownerReply{Email: o.Email, Role: o.Role, Shops: o.Shops, Link: Prefix + "reset/" + secret}, nil
}

// viaAdmin asks the running server, or opens the store itself when none runs.
func viaAdmin(a cloud.Admin, path string, req any, resp any, direct func(cloud.Backend) error) error {
	err := a.Call(path, req, resp)
	if errors.Is(err, cloud.ErrNoServer) {
		err = a.Direct(direct)
	}
	return err
}

func ownerAdd(_ context.Context, fs *flag.FlagSet, args []string, admin func() cloud.Admin, stdout io.Writer) error {
	shop := fs.String("shop", "", "shop id")
	email := fs.String("email", "", "the owner's e-mail address")
	pwFile := fs.String("password-file", "", "file holding the password (- reads standard input)")
	role := fs.String("role", "owner", "owner, or manager (everything except accounts, staff and settings)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pwFile == "" {
		return errors.New("--password-file is required")
	}
	var raw []byte
	var err error
	if *pwFile == "-" {
		raw, err = io.ReadAll(io.LimitReader(os.Stdin, 4096))
	} else {
		raw, err = os.ReadFile(*pwFile)
	}
	if err != nil {
		return fmt.Errorf("--password-file: %w", err)
	}
	req := ownerRequest{Shop: *shop, Email: *email, Password: strings.TrimRight(string(raw), "\r\n"), Role: Role(*role)}
	var rep ownerReply
	err = viaAdmin(admin(), "/admin/backoffice/owners", req, &rep, func(b cloud.Backend) error {
		st, err := StoreFor(b)
		if err != nil {
			return err
		}
		r, err := addOwner(b, st, req)
		if r != nil {
			rep = *r
		}
		return err
	})
	if err != nil {
		return err
	}
	if fs.Lookup("json").Value.String() == "true" {
		return json.NewEncoder(stdout).Encode(rep)
	}
	fmt.Fprintf(stdout, "%s (%s) signs in to the back office for shops %s\n", rep.Email, rep.Role, strings.Join(rep.Shops, ", "))
	return nil
}

func ownerReset(_ context.Context, fs *flag.FlagSet, args []string, admin func() cloud.Admin, stdout io.Writer) error {
	email := fs.String("email", "", "the owner's e-mail address")
	base := fs.String("url", "http://127.0.0.1:8720", "the back office's base URL, printed before the link")
	if err := fs.Parse(args); err != nil {
		return err
	}
	req := ownerRequest{Email: *email}
	var rep ownerReply
	err := viaAdmin(admin(), "/admin/backoffice/resets", req, &rep, func(b cloud.Backend) error {
		st, err := StoreFor(b)
		if err != nil {
			return err
		}
		r, err := resetOwner(st, req.Email)
		if r != nil {
			rep = *r
		}
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s%s\n", strings.TrimRight(*base, "/"), rep.Link)
	fmt.Fprintln(stdout, "The link works once, for 24 hours.")
	return nil
}

func reportCmd(_ context.Context, fs *flag.FlagSet, args []string, admin func() cloud.Admin, stdout io.Writer) error {
	shop := fs.String("shop", "", "shop id")
	from := fs.String("from", "", "first day, e.g. 2026-11-01 (default today)")
	to := fs.String("to", "", "last day, inclusive (default --from)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	req := reportRequest{Shop: *shop, From: *from, To: *to}
	var rep json.RawMessage
	err := viaAdmin(admin(), "/admin/backoffice/report", req, &rep, func(b cloud.Backend) error {
		r, err := ShopReport(b, storedCountable(b), snapshotProducts(b), req.Shop, req.From, req.To, time.Now())
		if err != nil {
			return err
		}
		rep, err = json.Marshal(r)
		return err
	})
	if err != nil {
		return err
	}
	var r app.Report
	if err := json.Unmarshal(rep, &r); err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(&r)
}
