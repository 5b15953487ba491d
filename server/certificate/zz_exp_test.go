package certificate_test

import (
	"bytes"
	"image"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"kalan/server/certificate"
)

func TestExp(t *testing.T) {
	key := testKey(t)
	fails := map[string]int{}
	for _, base := range []string{baseURL, "http://192.168.1.10:8080"} {
	for i := 0; i < 300; i++ {
		c := testCert(t)
		p, s := certificate.Sign(key, c)
		q := certificate.QRContent(base, p, s)
		for _, size := range []int{512, 712} {
		png, _ := certificate.QRPNG(q, size)
		img, _, _ := image.Decode(bytes.NewReader(png))
		for name, hints := range map[string]map[gozxing.DecodeHintType]interface{}{
			"none": nil, "tryharder": {gozxing.DecodeHintType_TRY_HARDER: true}, "pure": {gozxing.DecodeHintType_PURE_BARCODE: true},
		} {
			bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
			res, err := zxqr.NewQRCodeReader().Decode(bmp, hints)
			if err != nil || res.GetText() != q {
				fails[base+" "+name+" "+string(rune('0'+size/100))]++
			}
		}
		}
	}
	}
	t.Log(fails)
}
