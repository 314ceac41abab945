package printout

// CopyMark is the word a document printed again carries, large, at its top
// (and, on a label, beside the print time), so a courier or buyer holding
// two can tell which one came second.
const CopyMark = "COPY"

// addCopyMark starts doc with the COPY banner when copy is set.
func addCopyMark(doc *Document, copy bool) {
	if !copy {
		return
	}
	doc.Add(Text{Text: "** " + CopyMark + " **", Align: AlignCenter, Bold: true, Width: 2, Height: 2})
	doc.Add(Separator{Char: '*'})
}
