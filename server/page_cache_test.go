package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/server/account"
)

// A public lesson is rendered once per language and data-saver setting,
// and the copy kept is exactly what a fresh render gives; a signed-in
// reader, a flash message or another query never gets it.
func TestPublicPagesKeptAsRendered(t *testing.T) {
	e := newEnv(t)
	path := lessonPath(basics, "indicators")
	first := e.get(t, path+"?lang=bm")
	again := e.get(t, path+"?lang=bm")
	if first.StatusCode != http.StatusOK || string(first.body) != string(again.body) {
		t.Fatalf("the kept copy differs from the first render")
	}
	if fr := e.get(t, path+"?lang=fr"); string(fr.body) == string(first.body) || !strings.Contains(string(fr.body), `<html lang="fr"`) {
		t.Error("another language was answered from the Bambara copy")
	}
	if saver := e.get(t, path+"?lang=bm&saver=on"); string(saver.body) == string(first.body) {
		t.Error("the data saver was answered from the copy without it")
	}
	reader, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	own := reader.get(t, path+"?lang=bm")
	if own.doc(t).Find("form.who").Length() != 1 || own.doc(t).Find("form.complete").Length() != 1 {
		t.Error("a signed-in reader got the visitors' copy")
	}
	if visitor := e.get(t, path+"?lang=bm"); strings.Contains(string(visitor.body), "Awa") {
		t.Error("a visitor got the signed-in reader's page")
	}
	flashed := e.get(t, path+"?lang=bm", "Cookie", "kalan_flash=flash.signed_out")
	if !strings.Contains(string(flashed.body), e.t("bm", "flash.signed_out", nil)) {
		t.Error("a flash message was lost to the kept copy")
	}
}
