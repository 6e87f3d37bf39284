package linkage_test

import (
	"testing"

	"waymark/linkage"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"romanian diacritics fold and hyphen splits", "  Ștefan-Ionuț  POPESCU ", "stefan ionut popescu"},
		{"romanian cedilla forms fold alike", "Ştefan Ţepeş", "stefan tepes"},
		{"polish letters fold", "Łukasz Wójcik", "lukasz wojcik"},
		{"polish ogoneks and acutes fold", "Ząbkowska Źdźbło Żaneta Ćwik Ńa Ęgo Śmiały", "zabkowska zdzblo zaneta cwik na ego smialy"},
		{"czech and slovak letters fold", "Řehoř Čapek Šťastný Žďár Ýmir Ůvaly Ďurica Ťapák Ňachaj", "rehor capek stastny zdar ymir uvaly durica tapak nachaj"},
		{"lithuanian letters fold", "Žėkienė Įvairus Ųla Ūsas", "zekiene ivairus ula usas"},
		{"turkish letters fold", "İbrahim Çelik Şükrü Ağaoğlu Işık Gül", "ibrahim celik sukru agaoglu isik gul"},
		{"vietnamese tone marks fold", "Nguyễn Văn Đức", "nguyen van duc"},
		{"vietnamese horn letters fold", "Phạm Thị Hương Trần Quốc Bảo Lưu Thơ", "pham thi huong tran quoc bao luu tho"},
		{"apostrophe is removed", "O'Brien", "obrien"},
		{"typographic apostrophe is removed", "D’Souza N‘Golo", "dsouza ngolo"},
		{"modifier letter apostrophe is removed", "Hawaiʻi Ka\u02bcbah", "hawaii kabah"},
		{"hyphen becomes a space", "Jean-Luc", "jean luc"},
		{"dots commas and underscores become spaces", "J.R.R. Tolkien,Anne_Marie", "j r r tolkien anne marie"},
		{"german umlaut folds to the plain vowel", "Müller", "muller"},
		{"sharp s becomes ss", "Straße STRAẞE", "strasse strasse"},
		{"nordic letters fold", "Ørsted Åse Æbelø", "orsted ase aebelo"},
		{"french spanish portuguese letters fold", "François Peña João Conceição Gonçalves Zoë Œuvre", "francois pena joao conceicao goncalves zoe oeuvre"},
		{"decomposed accents fold", "Ste\u0301phane Mu\u0308ller", "stephane muller"},
		{"cyrillic transliterates", "Олександр Шевченко", "oleksandr shevchenko"},
		{"russian cyrillic uses g and i", "Сергей Горбачёв", "sergey gorbachev"},
		{"ukrainian cyrillic uses h and y", "Сергій Гнатюк Ковальчук", "serhiy hnatyuk kovalchuk"},
		{"greek transliterates", "Σωκράτης Παπαδόπουλος", "sokratis papadopoulos"},
		{"greek digraphs transliterate", "ΕΥΆΓΓΕΛΟΣ Παύλος", "evangelos pavlos"},
		{"arabic script is kept without vowel signs", "مُحَمَّد Ali", "محمد ali"},
		{"invisible characters are dropped", "Zo\u200be\u00ad Smith\ufeff", "zoe smith"},
		{"fullwidth letters become ascii", "ＡＨＭＥＤ１", "ahmed1"},
		{"tabs newlines and symbols are spaces", "Anna\t\n(Ania)  *  Nowak/Kowalska", "anna ania nowak kowalska"},
		{"empty stays empty", "", ""},
		{"punctuation only is empty", " - ' . ", ""},
		{"already normalized is unchanged", "maria popescu", "maria popescu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := linkage.Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestNormalizeFoldsLatin checks the folding table is complete for the Latin-1 Supplement and Latin
// Extended-A blocks, where nearly every European name letter lives: each letter folds to ASCII.
func TestNormalizeFoldsLatin(t *testing.T) {
	for r := rune(0xc0); r <= 0x17f; r++ {
		if r == 0xd7 || r == 0xf7 { // × and ÷ are symbols
			continue
		}
		got := linkage.Normalize(string(r))
		for i := 0; i < len(got); i++ {
			if c := got[i]; c < 'a' || c > 'z' {
				t.Errorf("Normalize(%q U+%04X) = %q, want lower-case ASCII letters", r, r, got)
				break
			}
		}
		if got == "" {
			t.Errorf("Normalize(%q U+%04X) is empty", r, r)
		}
	}
}
