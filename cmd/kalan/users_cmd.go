package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/auth"
	"github.com/kalan-platform/kalan/server/session"
)

const usersUsage = `Usage:
  kalan users create --email E --name N --role trainee|trainer|reviewer|admin [--languages bm[,ff…]] [--password-stdin] [flags]

Without --password-stdin a one-time password is printed: it works for 30
days and must be replaced at the first sign-in. --phone may replace --email
for people without an email address. A reviewer needs --languages, the
content languages whose translations they review (codes such as bm, ff,
ses); no other role takes it. Uses the same configuration as serve.
`

func usersCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
			fmt.Fprint(e.stdout, usersUsage)
			return nil
		}
		fmt.Fprint(e.stderr, usersUsage)
		return errUsage
	}
	var cfg config
	fs := flag.NewFlagSet("users create", flag.ContinueOnError)
	cfg.bind(fs)
	email := fs.String("email", "", "email address (the login)")
	phone := fs.String("phone", "", "phone number, instead of an email address")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "trainee, trainer, reviewer or admin")
	languages := fs.String("languages", "", "a reviewer's content languages, comma-separated: bm,ff")
	org := fs.String("organisation", "other", "organisation code: "+strings.Join(account.Organisations(), ", "))
	region := fs.String("region", "bamako", "region code: "+strings.Join(account.Regions(), ", "))
	lang := fs.String("lang", "fr", "preferred language")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := parseFlags(e, fs, args[1:], "kalan users create --email E --name N --role trainee|trainer|reviewer|admin [--languages bm,ff] [--password-stdin] [flags]"); err != nil {
		return err
	}
	r, ok := account.ParseRole(*role)
	login := *email
	if *phone != "" {
		login = *phone
	}
	if !ok || login == "" || *name == "" || (*email != "" && *phone != "") || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	cfg.fromEnv(fs, e.getenv)
	if err := cfg.validate(); err != nil {
		return err
	}
	password := ""
	if *fromStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("--password-stdin: no password on standard input")
		}
		password = strings.TrimRight(line, "\r\n")
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	loc, err := locales.Load(log)
	if err != nil {
		return err
	}
	var langs []string
	if r == account.RoleReviewer || *languages != "" {
		if r != account.RoleReviewer {
			return errors.New("--languages: only a reviewer has content languages")
		}
		var err error
		if langs, err = account.ParseLanguages(*languages); err != nil {
			return fmt.Errorf("--languages: %s", describeFieldErrors(loc.Localizer("en"), account.FieldErrors{err.(*account.FieldError)}))
		}
	}
	st, err := openStorage(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer st.close(ctx)
	auditLog := audit.NewLog(st.store, log)
	svc := auth.New(auth.Deps{Users: st.store, Resets: st.store, Sessions: session.NewManager(st.store, session.DefaultPolicy(), log),
		Failures: st.store, Audit: auditLog, Log: log})
	u, oneTime, err := svc.Create(ctx, auth.NewAccount{Login: login, Name: *name, Password: password, Role: r, Languages: langs,
		Profile: account.Profile{Organisation: *org, Region: *region, Lang: *lang}}, loc.Supported)
	if errs, ok := err.(account.FieldErrors); ok {
		return fmt.Errorf("cannot create the account: %s", describeFieldErrors(loc.Localizer("en"), errs))
	}
	if fe, ok := err.(*account.FieldError); ok {
		return fmt.Errorf("cannot create the account: %s", describeFieldErrors(loc.Localizer("en"), account.FieldErrors{fe}))
	}
	if err != nil {
		return err
	}
	details := map[string]string{"role": string(u.Role), "by": "command line"}
	if len(u.Languages) > 0 {
		details["languages"] = strings.Join(u.Languages, ",")
	}
	if err := auditLog.Record(ctx, audit.Entry{Action: audit.UserCreated, TargetType: "user", TargetID: u.ID,
		Details: details}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created %s %q, login %s\n", u.Role, u.Name, u.Login.Value)
	if len(u.Languages) > 0 {
		fmt.Fprintf(e.stdout, "reviews: %s\n", strings.Join(u.Languages, ", "))
	}
	if oneTime != "" {
		fmt.Fprintf(e.stdout, "one-time password: %s\n(valid 30 days; it must be replaced at the first sign-in)\n", oneTime)
	}
	return nil
}

// describeFieldErrors says what is wrong, in English, for the terminal.
func describeFieldErrors(loc *locales.Localizer, errs account.FieldErrors) string {
	parts := make([]string, len(errs))
	for i, e := range errs {
		parts[i] = e.Field + ": " + loc.T(e.MessageID, e.Data)
	}
	return strings.Join(parts, "; ")
}
