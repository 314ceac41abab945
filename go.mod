module github.com/kasir/pos

go 1.26.8

require (
	fyne.io/fyne/v2 v2.8.1 // indirect
	github.com/ebitengine/oto/v3 v3.4.0 // indirect
	github.com/ebitengine/purego v0.9.0 // indirect
	github.com/gorilla/websocket v1.5.3 // indirect
	github.com/hennedo/escpos v0.0.2-0.20221114190247-475ba147a030 // indirect
	github.com/makiuchi-d/gozxing v0.1.1 // indirect
	github.com/qiniu/iconv v1.2.0 // indirect
	github.com/skip2/go-qrcode v0.0.0-20200617195104-da1b6568686e // indirect
	go.etcd.io/bbolt v1.5.0 // indirect
	golang.org/x/sys v0.45.0 // indirect
	golang.org/x/text v0.22.0 // indirect
	golang.org/x/xerrors v0.0.0-20200804184101-5ec99f83aff1 // indirect
)
