package app

// The stock adjustments' messages in Bahasa Indonesia, kept beside their
// own code and merged into the catalogue.
var stockIndonesian = map[string]string{
	"adjust stock":          "menyesuaikan stok",
	"stock take":            "stok opname",
	"damage":                "rusak",
	"received goods":        "barang masuk",
	"is not a whole number": "bukan bilangan bulat",
	"sku":                   "SKU",
	"reason":                "alasan",
	"quantity":              "jumlah",
	"note":                  "catatan",
	"args.stock":            "args.stock",
	"must be stock take, damage or received goods":  "harus stok opname, rusak atau barang masuk",
	"must be a count from 0 to %d":                  "harus hitungan dari 0 sampai %d",
	"must be a whole number from 1 to %d":           "harus bilangan bulat dari 1 sampai %d",
	"is more than the %d on the shelf":              "lebih dari %d yang ada di rak",
	"would make the stock more than %d":             "membuat stok lebih dari %d",
	"%s now has %d on the shelf but orders hold %d": "%s sekarang %d di rak, tetapi pesanan memegang %d",
}

func init() {
	for k, v := range stockIndonesian {
		if _, ok := indonesian[k]; !ok {
			indonesian[k] = v
		}
	}
}
