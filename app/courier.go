package app

import (
	"strings"
	"unicode"
)

// Courier is a delivery company by its code ("jnt"); channels, courier
// webhooks and staff spell the same company many ways, and every one of
// those spellings maps to one code, so a filter matches by company.
type Courier string

// Couriers Indonesian shops hand parcels to.
const (
	CourierJNE          Courier = "jne"
	CourierJNT          Courier = "jnt"
	CourierSiCepat      Courier = "sicepat"
	CourierAnterAja     Courier = "anteraja"
	CourierSPX          Courier = "spx"
	CourierNinja        Courier = "ninja"
	CourierLionParcel   Courier = "lion"
	CourierGoSend       Courier = "gosend"
	CourierGrabExpress  Courier = "grab"
	CourierPosIndonesia Courier = "pos"
	CourierTIKI         Courier = "tiki"
	CourierIDExpress    Courier = "idexpress"
	CourierWahana       Courier = "wahana"
	CourierSAP          Courier = "sap"
	CourierPaxel        Courier = "paxel"
	CourierLEX          Courier = "lex"
	CourierLalamove     Courier = "lalamove"
	CourierJNTCargo     Courier = "jntcargo"
)

// courierInfo is a courier's display name and the spellings it goes by,
// written squeezed: lower case, letters and digits only ("J&T Express" → "jtexpress").
type courierInfo struct {
	code    Courier
	label   string
	aliases []string
}

// courierTable lists the couriers in the order the filter offers them.
var courierTable = []courierInfo{
	{CourierJNE, "JNE", []string{"jne", "jnereg", "jneyes", "jneoke", "jnetrucking", "jnejtr", "jneexpress"}},
	{CourierJNT, "J&T Express", []string{"jt", "jnt", "jtexpress", "jntexpress", "jandt", "jandtexpress", "jtreg", "jtez", "jntez"}},
	{CourierSiCepat, "SiCepat", []string{"sicepat", "sicepatreg", "sicepathalu", "sicepatbest", "sicepatgokil", "sicepatekspres", "sicepatexpress"}},
	{CourierAnterAja, "AnterAja", []string{"anteraja", "anterajareg", "anterajanextday", "anterajasameday"}},
	{CourierSPX, "SPX", []string{"spx", "spxexpress", "shopeexpress", "shopeeexpress", "spxstandard", "spxhemat", "shopeexpressstandard"}},
	{CourierNinja, "Ninja Xpress", []string{"ninja", "ninjaxpress", "ninjaexpress", "ninjavan", "ninjareg"}},
	{CourierLionParcel, "Lion Parcel", []string{"lion", "lionparcel", "lionparcelreg", "lionregpack", "lionjagopack", "lionbigpack"}},
	{CourierGoSend, "GoSend", []string{"gosend", "gojek", "gosendinstant", "gosendsameday", "goride"}},
	{CourierGrabExpress, "GrabExpress", []string{"grab", "grabexpress", "grabexpressinstant", "grabexpresssameday", "grabsend"}},
	{CourierPosIndonesia, "Pos Indonesia", []string{"pos", "posindonesia", "posaja", "poskilat", "poskilatkhusus", "posexpress", "posreguler"}},
	{CourierTIKI, "TIKI", []string{"tiki", "tikireg", "tikions", "tikieco"}},
	{CourierIDExpress, "ID Express", []string{"idexpress", "idx", "idexpressstandard"}},
	{CourierWahana, "Wahana", []string{"wahana", "wahanaexpress"}},
	{CourierSAP, "SAP Express", []string{"sap", "sapexpress"}},
	{CourierPaxel, "Paxel", []string{"paxel"}},
	{CourierLEX, "LEX", []string{"lex", "lexid", "lazadaexpress", "lazadalogistics", "lel", "lelexpress"}},
	{CourierLalamove, "Lalamove", []string{"lalamove"}},
	{CourierJNTCargo, "J&T Cargo", []string{"jtcargo", "jntcargo"}},
}

var (
	courierByAlias = map[string]Courier{}
	courierByCode  = map[Courier]courierInfo{}
)

func init() {
	for _, c := range courierTable {
		courierByCode[c.code] = c
		courierByAlias[string(c.code)] = c.code
		courierByAlias[squeeze(c.label)] = c.code
		for _, a := range c.aliases {
			courierByAlias[a] = c.code
		}
	}
}

// Couriers lists every known courier in the order the filter offers them.
func Couriers() []Courier {
	out := make([]Courier, len(courierTable))
	for i, c := range courierTable {
		out[i] = c.code
	}
	return out
}

// CourierLabels are the display names of every known courier, for pickers and filters.
func CourierLabels() []string {
	out := make([]string, len(courierTable))
	for i, c := range courierTable {
		out[i] = c.label
	}
	return out
}

// squeeze lowers a name and keeps only its letters and digits.
func squeeze(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ParseCourier maps any spelling of a courier to its code: "J&T", "J&T
// Express", "jnt" and "J&T EZ" all give CourierJNT. A name it does not know
// keeps its own squeezed spelling as the code, so unknown couriers still
// match themselves; ok reports whether the courier is known.
func ParseCourier(name string) (c Courier, ok bool) {
	s := squeeze(name)
	if s == "" {
		return "", false
	}
	if code, ok := courierByAlias[s]; ok {
		return code, true
	}
	// A service after the company ("JNE REG", "SiCepat HALU", "J&T Express EZ").
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '_' || r == '/' || r == '(' || r == ')'
	})
	for n := len(words) - 1; n >= 1; n-- {
		if code, ok := courierByAlias[squeeze(strings.Join(words[:n], " "))]; ok {
			return code, true
		}
	}
	return Courier(s), false
}

// CourierCode is the code of any spelling of a courier; "" for no courier.
func CourierCode(name string) Courier {
	c, _ := ParseCourier(name)
	return c
}

// Label is the courier's display name; an unknown courier shows its code.
func (c Courier) Label() string {
	if info, ok := courierByCode[c]; ok {
		return info.label
	}
	return string(c)
}

// CourierName is how a stored courier name is shown: the known company's
// display name, or the name as it was written.
func CourierName(name string) string {
	if c, ok := ParseCourier(name); ok {
		return c.Label()
	}
	return strings.TrimSpace(name)
}

// SameCourier reports whether two spellings name the same courier.
func SameCourier(a, b string) bool {
	ca := CourierCode(a)
	return ca != "" && ca == CourierCode(b)
}
