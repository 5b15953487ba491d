package account

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// testEnrolOptions are what the server builds from the locale files.
func testEnrolOptions() EnrolOptions {
	return EnrolOptions{
		MaxRows: 100,
		Organisations: map[string]string{
			"services sociaux":       "social-services",
			"inspection du travail":  "labour-inspection",
			"ong":                    "ngo",
			"gendarmerie nationale":  "gendarmerie",
			"pas un code":            "not-a-code", // a wrong locale entry is ignored
			NormalizeLabel("Police"): "police",
		},
		Regions: map[string]string{
			"district de bamako": "bamako",
			"timbuktu":           "tombouctou",
		},
	}
}

func phone(v string) Login { return Login{Kind: LoginPhone, Value: v} }
func email(v string) Login { return Login{Kind: LoginEmail, Value: v} }

func TestParseEnrolCSVValid(t *testing.T) {
	tests := []struct {
		name string
		file []byte
		want []EnrolRow
	}{
		{
			name: "french excel, utf-8 with bambara letters",
			file: []byte("\ufeffNom complet;Téléphone;Structure;Région\r\n" +
				"Fanta Kɔnɛ;76 12 34 56;Gendarmerie;Ségou\r\n" +
				"Ɲuman  Ŋara ;+223 65-00-11-22;Services sociaux;District de Bamako\r\n" +
				";;;\r\n" +
				"\r\n" +
				"Awa Traoré;awa.traore@Mail.ML;;\r\n"),
			want: []EnrolRow{
				{Line: 2, Name: "Fanta Kɔnɛ", Login: phone("+22376123456"), Organisation: "gendarmerie", Region: "segou"},
				{Line: 3, Name: "Ɲuman Ŋara", Login: phone("+22365001122"), Organisation: "social-services", Region: "bamako"},
				{Line: 6, Name: "Awa Traoré", Login: email("awa.traore@mail.ml")},
			},
		},
		{
			name: "french excel, windows-1252, first name column",
			file: win1252(t, "NOM;Prénom;Région;E-mail;Téléphone;Remarque\r\n"+
				"Diarra;Moussa;Ségou;;76123456;délégué\r\n"+
				"Sidibé;Aïcha;Kayes;aicha@mail.ml;66123456;\r\n"+
				"Keïta;;Dioïla;;0022370000001\r\n"),
			want: []EnrolRow{
				{Line: 2, Name: "Moussa Diarra", Login: phone("+22376123456"), Region: "segou"},
				{Line: 3, Name: "Aïcha Sidibé", Login: email("aicha@mail.ml"), Region: "kayes"},
				{Line: 4, Name: "Keïta", Login: phone("+22370000001"), Region: "dioila"},
			},
		},
		{
			name: "english, comma, columns reordered, codes",
			file: []byte("Region,Email,Organization,Full Name\n" +
				"tombouctou,awa@iom.int,ngo,Awa Maïga\n" +
				"Timbuktu,+33 6 12 34 56 78,labour_inspection,\"Traoré, Oumar\"\n"),
			want: []EnrolRow{
				{Line: 2, Name: "Awa Maïga", Login: email("awa@iom.int"), Organisation: "ngo", Region: "tombouctou"},
				{Line: 3, Name: "Traoré, Oumar", Login: phone("+33612345678"), Organisation: "labour-inspection", Region: "tombouctou"},
			},
		},
		{
			name: "quoted cell on two lines keeps later line numbers true",
			file: []byte("name;login\n\"Awa\nTraoré\";76123456\n\nOumar Touré;76123457\n"),
			want: []EnrolRow{
				{Line: 2, Name: "Awa Traoré", Login: phone("+22376123456")},
				{Line: 5, Name: "Oumar Touré", Login: phone("+22376123457")},
			},
		},
		{
			name: "blank lines and a title-less header after them",
			file: []byte("\n\n  \nidentifiant;nom\n76123456;Awa Traoré\n"),
			want: []EnrolRow{{Line: 5, Name: "Awa Traoré", Login: phone("+22376123456")}},
		},
		{
			name: "utf-16 with bom, tab separated (Excel's unicode text)",
			file: utf16le(t, "Nom\tTéléphone\r\nFanta Kɔnɛ\t76123456\r\n"),
			want: []EnrolRow{{Line: 2, Name: "Fanta Kɔnɛ", Login: phone("+22376123456")}},
		},
		{
			name: "classic mac line ends",
			file: []byte("nom;login\rAwa Traoré;76123456\rOumar Touré;76123457\r"),
			want: []EnrolRow{
				{Line: 2, Name: "Awa Traoré", Login: phone("+22376123456")},
				{Line: 3, Name: "Oumar Touré", Login: phone("+22376123457")},
			},
		},
		{
			name: "email and phone columns: the first non-empty wins",
			file: []byte("Nom;Courriel;Tél.\nAwa Traoré;;76123456\nOumar Touré;oumar@mail.ml;76123457\n"),
			want: []EnrolRow{
				{Line: 2, Name: "Awa Traoré", Login: phone("+22376123456")},
				{Line: 3, Name: "Oumar Touré", Login: email("oumar@mail.ml")},
			},
		},
		{
			name: "short rows and a trailing DOS end-of-file mark",
			file: []byte("nom;login;région;structure\nAwa Traoré;76123456\n\x1a"),
			want: []EnrolRow{{Line: 2, Name: "Awa Traoré", Login: phone("+22376123456")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, rowErrs, err := ParseEnrolCSV(bytes.NewReader(tt.file), testEnrolOptions())
			if err != nil {
				t.Fatalf("ParseEnrolCSV: %v", err)
			}
			if len(rowErrs) > 0 {
				t.Errorf("row errors: %+v", rowErrs)
			}
			if !reflect.DeepEqual(rows, tt.want) {
				t.Errorf("rows:\n got %+v\nwant %+v", rows, tt.want)
			}
		})
	}
}

func TestParseEnrolCSVRowErrors(t *testing.T) {
	long := strings.Repeat("a", 501)
	file := "\ufeffRégion;Nom;Identifiant;Service\r\n" + // 1
		"Ségou;Fanta Kɔnɛ;76 12 34 56;Police\r\n" + // 2 valid
		"\r\n" + // 3 blank
		"Mopti;;76123457;\r\n" + // 4 name required
		"Gao;A;76123458;\r\n" + // 5 name invalid
		"Kayes;Awa Traoré;;\r\n" + // 6 login required
		"Kayes;Awa Traoré;abc;\r\n" + // 7 login invalid
		"Paris;Oumar Touré;76123459;Armée\r\n" + // 8 region and organisation invalid
		";Moussa Diarra;+223 76 12 34 56;\r\n" + // 9 duplicate of line 2
		";Moussa Diarra;0022376123456;\r\n" + // 10 duplicate of line 2 again
		";" + long + ";76123460;\r\n" + // 11 name too long
		";Adama Coulibaly;76123461;" + long + "\r\n" + // 12 organisation too long
		";Bintou Koné;76123462;ONG\r\n" // 13 valid
	rows, rowErrs, err := ParseEnrolCSV(strings.NewReader(file), testEnrolOptions())
	if err != nil {
		t.Fatalf("ParseEnrolCSV: %v", err)
	}
	wantRows := []EnrolRow{
		{Line: 2, Name: "Fanta Kɔnɛ", Login: phone("+22376123456"), Organisation: "police", Region: "segou"},
		{Line: 13, Name: "Bintou Koné", Login: phone("+22376123462"), Organisation: "ngo"},
	}
	if !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("rows:\n got %+v\nwant %+v", rows, wantRows)
	}
	wantErrs := []RowError{
		{Line: 4, Field: "name", MessageID: "form.name.required"},
		{Line: 5, Field: "name", MessageID: "form.name.invalid"},
		{Line: 6, Field: "login", MessageID: "form.login.required"},
		{Line: 7, Field: "login", MessageID: "form.login.invalid"},
		{Line: 8, Field: "organisation", MessageID: "form.organisation.invalid", Data: map[string]any{"Value": "Armée"}},
		{Line: 8, Field: "region", MessageID: "form.region.invalid", Data: map[string]any{"Value": "Paris"}},
		{Line: 9, Field: "login", MessageID: "csv.duplicate_login", Data: map[string]any{"Line": 2}},
		{Line: 10, Field: "login", MessageID: "csv.duplicate_login", Data: map[string]any{"Line": 2}},
		{Line: 11, Field: "name", MessageID: "csv.field_too_long", Data: map[string]any{"Max": 500}},
		{Line: 12, Field: "organisation", MessageID: "csv.field_too_long", Data: map[string]any{"Max": 500}},
	}
	if len(rowErrs) != len(wantErrs) {
		t.Fatalf("row errors:\n got %+v\nwant %+v", rowErrs, wantErrs)
	}
	for i := range wantErrs {
		if !reflect.DeepEqual(rowErrs[i], wantErrs[i]) {
			t.Errorf("row error %d = %+v, want %+v", i, rowErrs[i], wantErrs[i])
		}
	}
}

func TestParseEnrolCSVFileErrors(t *testing.T) {
	garbage := make([]byte, 512)
	for i := range garbage {
		garbage[i] = byte(i * 37 % 256)
	}
	tests := []struct {
		name string
		file []byte
		max  int
		id   string
		data map[string]any
	}{
		{"empty", nil, 0, "csv.empty", nil},
		{"only a bom and blanks", []byte("\ufeff \r\n\r\n"), 0, "csv.empty", nil},
		{"only separators", []byte(";;;\r\n;;\r\n"), 0, "csv.empty", nil},
		{"header only", []byte("nom;login\r\n"), 0, "csv.empty", nil},
		{"binary garbage", garbage, 0, "csv.unreadable", nil},
		{"an xlsx (zip)", []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml"), 0, "csv.unreadable", nil},
		{"a pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00"), 0, "csv.unreadable", nil},
		{"utf-16 without a bom", []byte("n\x00o\x00m\x00;\x00l\x00o\x00g\x00i\x00n\x00"), 0, "csv.unreadable", nil},
		{"no header", []byte("Awa Traoré;76123456\nOumar Touré;76123457\n"), 0, "csv.no_header", nil},
		{"missing login", []byte("Nom;Région\nAwa Traoré;Ségou\n"), 0, "csv.missing_column", map[string]any{"Column": "login"}},
		{"missing name", []byte("Téléphone;Région\n76123456;Ségou\n"), 0, "csv.missing_column", map[string]any{"Column": "name"}},
		{"first name is not a name", []byte("Prénom;Téléphone\nAwa;76123456\n"), 0, "csv.missing_column", map[string]any{"Column": "name"}},
		{"too many rows", []byte("nom;login\nA a;76123456\nB b;76123457\n\nC c;76123458\n"), 2, "csv.too_many_rows", map[string]any{"Max": 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testEnrolOptions()
			opts.MaxRows = tt.max
			rows, rowErrs, err := ParseEnrolCSV(bytes.NewReader(tt.file), opts)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("ParseEnrolCSV = %+v, %+v, %v; want a *FieldError", rows, rowErrs, err)
			}
			if fe.Field != "file" || fe.MessageID != tt.id || !reflect.DeepEqual(fe.Data, tt.data) {
				t.Errorf("error = %+v, want file: %s %v", fe, tt.id, tt.data)
			}
			if rows != nil || rowErrs != nil {
				t.Errorf("rows %+v and row errors %+v returned with a file error", rows, rowErrs)
			}
		})
	}
	t.Run("exactly the maximum", func(t *testing.T) {
		opts := testEnrolOptions()
		opts.MaxRows = 2
		rows, _, err := ParseEnrolCSV(strings.NewReader("nom;login\nAwa Traoré;76123456\n\nOumar Touré;76123457\n"), opts)
		if err != nil || len(rows) != 2 {
			t.Errorf("ParseEnrolCSV = %d rows, %v", len(rows), err)
		}
	})
	t.Run("read error is passed on", func(t *testing.T) {
		cause := errors.New("request body too large")
		_, _, err := ParseEnrolCSV(iotest.ErrReader(cause), EnrolOptions{})
		if !errors.Is(err, cause) {
			t.Errorf("ParseEnrolCSV = %v, want it to wrap %v", err, cause)
		}
	})
}

func win1252(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		t.Fatalf("encode %q in Windows-1252: %v", s, err)
	}
	if bytes.Equal([]byte(b), []byte(s)) || strings.Contains(b, "\u00e9") {
		t.Fatal("the Windows-1252 file is UTF-8")
	}
	return []byte(b)
}

func utf16le(t *testing.T, s string) []byte {
	t.Helper()
	b, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(b)
}

func FuzzParseEnrolCSV(f *testing.F) {
	f.Add([]byte("\ufeffNom complet;Téléphone;Structure;Région\r\nFanta Kɔnɛ;76 12 34 56;Gendarmerie;Ségou\r\n\r\nA;x;y;z\r\n"))
	f.Add([]byte("name,login\n\"Awa\nTraoré\",awa@mail.ml\nAwa,awa@mail.ml\n"))
	f.Add([]byte("NOM;Pr\xe9nom;R\xe9gion;T\xe9l\xe9phone\r\nDiarra;Moussa;S\xe9gou;76123456\r\n"))
	f.Add([]byte("\xff\xfen\x00o\x00m\x00\t\x00l\x00o\x00g\x00i\x00n\x00"))
	f.Add([]byte("nom;login\r\"a;\"\"b\r"))
	f.Add([]byte{})
	opts := testEnrolOptions()
	opts.MaxRows = 50
	f.Fuzz(func(t *testing.T, file []byte) {
		rows, rowErrs, err := ParseEnrolCSV(bytes.NewReader(file), opts)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "file" || !strings.HasPrefix(fe.MessageID, "csv.") {
				t.Fatalf("error %v is not a file *FieldError", err)
			}
			if rows != nil || rowErrs != nil {
				t.Fatal("rows returned with a file error")
			}
			return
		}
		if len(rows)+len(rowErrs) == 0 {
			t.Fatal("no rows, no errors and no file error")
		}
		for _, r := range rows {
			if r.Line < 2 {
				t.Fatalf("row %+v before line 2", r)
			}
			if l, err := ParseLogin(r.Login.Value); err != nil || l != r.Login {
				t.Fatalf("row %+v has an invalid login", r)
			}
			if checkName(r.Name) != "" || NormalizeName(r.Name) != r.Name {
				t.Fatalf("row %+v has an invalid name", r)
			}
			if r.Organisation != "" && !IsOrganisation(r.Organisation) || r.Region != "" && !IsRegion(r.Region) {
				t.Fatalf("row %+v has an unknown code", r)
			}
		}
		for _, e := range rowErrs {
			if e.Line < 1 || e.MessageID == "" || e.Field == "" {
				t.Fatalf("row error %+v", e)
			}
		}
	})
}

func BenchmarkParseEnrolCSV(b *testing.B) {
	var file strings.Builder
	file.WriteString("\ufeffNom complet;Téléphone;Structure;Région\r\n")
	for i := range 1000 {
		fmt.Fprintf(&file, "Fanta Kɔnɛ %c;76%06d;Services sociaux;Ségou\r\n", 'A'+i%26, i)
	}
	opts := testEnrolOptions()
	opts.MaxRows = 1000
	b.SetBytes(int64(file.Len()))
	for b.Loop() {
		rows, rowErrs, err := ParseEnrolCSV(strings.NewReader(file.String()), opts)
		if err != nil || len(rowErrs) > 0 || len(rows) != 1000 {
			b.Fatalf("%d rows, %v, %v", len(rows), rowErrs, err)
		}
	}
}
