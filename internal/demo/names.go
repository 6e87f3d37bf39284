package demo

// The name pools below are common names of each nationality, combined at random: the people they
// make up are fictional. Spellings deliberately include the variants that appear across real
// records of the same name (transliterations, with and without diacritics), because matching those
// is one of the things Waymark's search and linkage must cope with.

// nationality is a pool of names for people of one nationality.
type nationality struct {
	code   string // ISO 3166-1 alpha-2
	weight int    // relative frequency among demo clients
	male   []string
	female []string
	// family holds family names; "m|f" gives the male and female forms of a gendered name.
	family []string
	// second lists plausible second nationalities.
	second []string
	// noFamily is the percentage of people recorded with a given name only.
	noFamily int
	// hyphen allows double-barrelled family names.
	hyphen bool
}

var nationalities = []nationality{
	{code: "GB", weight: 16, hyphen: true, second: []string{"IE", "NG", "JM", "IN", "PK"},
		male:   []string{"James", "Daniel", "Liam", "Connor", "Jamie", "Craig", "Darren", "Lee", "Ryan", "Kyle", "Michael", "Paul", "Stephen", "Gary", "Dean"},
		female: []string{"Emma", "Kayleigh", "Sarah", "Gemma", "Laura", "Chloe", "Jade", "Stacey", "Lisa", "Michelle", "Amy"},
		family: []string{"Smith", "Jones", "Taylor", "Brown", "Wilson", "Walker", "Wright", "Thompson", "Hughes", "Barraclough", "Hepworth", "Sutcliffe", "Parker-Hale", "Ashworth-Clarke", "Okafor-Williams"}},
	{code: "AL", weight: 9,
		male:   []string{"Arben", "Ervin", "Gentian", "Klodian", "Besnik", "Dritan", "Ardit", "Erion", "Fatjon", "Mateo", "Ermal"},
		female: []string{"Elira", "Anxhela", "Klea", "Ornela", "Blerina", "Mirela", "Xhesika"},
		family: []string{"Hoxha", "Shehu", "Kola", "Leka", "Gjoka", "Dervishi", "Basha", "Çela", "Hysa", "Marku", "Berisha", "Krasniqi"}},
	{code: "RO", weight: 8, hyphen: true, second: []string{"HU", "MD"},
		male:   []string{"Ștefan", "Stefan", "Ştefan", "Ion", "Andrei", "Mihai", "Florin", "Gheorghe", "Constantin", "Marian", "Ionuț", "Cătălin", "Adrian", "Vasile"},
		female: []string{"Ioana", "Elena", "Maria", "Andreea", "Florentina", "Mihaela", "Alina", "Roxana"},
		family: []string{"Popescu", "Ionescu", "Dumitru", "Stan", "Stoica", "Munteanu", "Lungu", "Țurcanu", "Mureșan", "Rădulescu", "Bălan", "Căldăraru"}},
	{code: "VN", weight: 7,
		male:   []string{"Văn Minh", "Van Minh", "Đức Anh", "Duc Anh", "Quang Huy", "Thanh Tùng", "Văn Hùng", "Van Hung", "Minh Tuấn"},
		female: []string{"Thị Lan", "Thi Lan", "Thị Hương", "Thi Huong", "Ngọc Anh", "Thu Trang"},
		family: []string{"Nguyen", "Nguyễn", "Tran", "Trần", "Le", "Lê", "Pham", "Phạm", "Hoang", "Hoàng", "Vu", "Vũ", "Dang", "Đặng", "Bui"}},
	{code: "ER", weight: 7, second: []string{"ET"},
		male:   []string{"Yonas", "Dawit", "Tesfay", "Mehari", "Filmon", "Samuel", "Biniam", "Yohannes", "Tekle", "Mohammed"},
		female: []string{"Helen", "Senait", "Selam", "Rahwa", "Lidya", "Saba", "Feven"},
		family: []string{"Tesfay", "Gebremedhin", "Haile", "Kidane", "Berhe", "Tekle", "Ghebreyesus", "Asmerom", "Woldu"}},
	{code: "SD", weight: 7,
		male:   []string{"Mohammed", "Muhammad", "Mohamed", "Ahmed", "Ahmad", "Abdelrahman", "Abdalla", "Osman", "Othman", "Yousif", "Yusuf", "Ibrahim", "Hassan", "Elnour"},
		female: []string{"Fatima", "Amna", "Safa", "Hiba", "Mawada", "Rayan"},
		family: []string{"Abdelrahman", "Osman", "Adam", "Ali", "Mohamed", "Ibrahim", "Elhassan", "Abdalla", "Ismail", "Omer", "Babiker", "Elsheikh"}},
	{code: "PL", weight: 6, hyphen: true, second: []string{"GB"},
		male:   []string{"Łukasz", "Lukasz", "Piotr", "Krzysztof", "Tomasz", "Paweł", "Marek", "Grzegorz", "Wojciech", "Jarosław"},
		female: []string{"Agnieszka", "Katarzyna", "Małgorzata", "Joanna", "Monika", "Ewa"},
		family: []string{"Kowalski|Kowalska", "Nowak", "Wiśniewski|Wiśniewska", "Wójcik", "Kamiński|Kamińska", "Lewandowski|Lewandowska", "Zieliński|Zielińska", "Szymański|Szymańska", "Dąbrowski|Dąbrowska", "Kozłowski|Kozłowska", "Mazur", "Krawczyk"}},
	{code: "NG", weight: 4, second: []string{"GB"},
		male:   []string{"Chinedu", "Emeka", "Oluwaseun", "Tunde", "Ifeanyi", "Babatunde", "Obinna", "Samuel", "Ibrahim", "Musa"},
		female: []string{"Blessing", "Chiamaka", "Ngozi", "Funmilayo", "Precious", "Adaeze", "Joy", "Esther", "Favour"},
		family: []string{"Okafor", "Adeyemi", "Okonkwo", "Eze", "Balogun", "Ogunleye", "Nwosu", "Adebayo", "Obi", "Afolabi", "Okeke", "Ibrahim"}},
	{code: "LT", weight: 3,
		male:   []string{"Mindaugas", "Darius", "Andrius", "Giedrius", "Vytautas", "Žygimantas", "Rimantas", "Šarūnas", "Tomas"},
		female: []string{"Rūta", "Inga", "Jurgita", "Aušra", "Eglė", "Kristina"},
		family: []string{"Kazlauskas|Kazlauskienė", "Petrauskas|Petrauskienė", "Jankauskas|Jankauskaitė", "Stankevičius|Stankevičienė", "Vasiliauskas|Vasiliauskienė", "Žukauskas|Žukauskaitė", "Butkus|Butkutė", "Paulauskas|Paulauskienė"}},
	{code: "CN", weight: 3,
		male:   []string{"Wei", "Jun", "Hao", "Lei", "Jian", "Qiang", "Zhiwei", "Jianguo"},
		female: []string{"Li", "Mei", "Xiu Ying", "Yan", "Fang", "Jing", "Xiaoling", "Hui"},
		family: []string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Lin", "Zheng", "Wu"}},
	{code: "IN", weight: 4, second: []string{"GB"},
		male:   []string{"Rajesh", "Sandeep", "Harjit", "Gurpreet", "Manjit", "Amit", "Vikram", "Sukhwinder", "Ravi", "Arjun"},
		female: []string{"Priya", "Sunita", "Harpreet", "Kiran", "Anjali", "Manpreet", "Pooja"},
		family: []string{"Singh|Kaur", "Sharma", "Patel", "Kumar", "Gill", "Sandhu", "Sidhu", "Verma", "Reddy"}},
	{code: "SK", weight: 3, hyphen: true, second: []string{"HU", "CZ"},
		male:   []string{"Ján", "Jan", "Peter", "Marek", "Tomáš", "Lukáš", "Milan", "Roman", "Jozef", "Štefan"},
		female: []string{"Mária", "Zuzana", "Lucia", "Monika", "Jana", "Veronika"},
		family: []string{"Horváth|Horváthová", "Kováč|Kováčová", "Varga|Vargová", "Tóth|Tóthová", "Nagy|Nagyová", "Baláž|Balážová", "Lakatoš|Lakatošová", "Oláh|Oláhová"}},
	{code: "BG", weight: 3,
		male:   []string{"Georgi", "Ivan", "Dimitar", "Nikolay", "Hristo", "Stoyan", "Petar", "Todor", "Angel"},
		female: []string{"Maria", "Ivanka", "Desislava", "Ralitsa", "Tsvetelina", "Nadezhda"},
		family: []string{"Ivanov|Ivanova", "Georgiev|Georgieva", "Dimitrov|Dimitrova", "Petrov|Petrova", "Stoyanov|Stoyanova", "Todorov|Todorova", "Kostadinov|Kostadinova", "Asenov|Asenova"}},
	{code: "UA", weight: 3, second: []string{"PL"},
		male:   []string{"Oleksandr", "Aleksandr", "Alexander", "Olexandr", "Andriy", "Andrii", "Serhiy", "Sergiy", "Serhii", "Dmytro", "Mykola", "Volodymyr", "Vasyl", "Taras"},
		female: []string{"Olena", "Iryna", "Kateryna", "Oksana", "Nataliia", "Natalia", "Yuliia", "Tetiana"},
		family: []string{"Kovalenko", "Bondarenko", "Shevchenko", "Tkachenko", "Melnyk", "Kravchenko", "Boyko", "Shevchuk", "Lysenko", "Marchenko", "Moroz"}},
	{code: "AF", weight: 5, noFamily: 25,
		male:   []string{"Mohammad", "Muhammad", "Mohammed", "Ahmad", "Abdullah", "Hamid", "Wahid", "Rahmatullah", "Ali", "Sayed", "Hamed", "Zabiullah", "Naweed", "Naveed"},
		female: []string{"Fatima", "Zahra", "Maryam", "Parwana", "Nargis", "Shabnam", "Freshta"},
		family: []string{"Ahmadzai", "Rahimi", "Hakimi", "Karimi", "Popal", "Sultani", "Mohammadi", "Noori", "Safi", "Stanikzai", "Amiri", "Hussaini"}},
	{code: "IR", weight: 4,
		male:   []string{"Mohammad", "Mohammed", "Reza", "Ali", "Hossein", "Hussein", "Amir", "Mehdi", "Saeed", "Said", "Farhad", "Behnam", "Kourosh"},
		female: []string{"Maryam", "Zahra", "Fatemeh", "Leila", "Layla", "Shirin", "Nasrin", "Parisa"},
		family: []string{"Ahmadi", "Hosseini", "Husseini", "Karimi", "Rezaei", "Mohammadi", "Moradi", "Jafari", "Rahimi", "Sadeghi", "Ghorbani", "Azizi"}},
	{code: "ET", weight: 3, second: []string{"ER"},
		male:   []string{"Abebe", "Dawit", "Tesfaye", "Getachew", "Yonas", "Mulugeta", "Solomon", "Bereket", "Kebede", "Mohammed"},
		female: []string{"Tigist", "Hirut", "Meron", "Bethlehem", "Selamawit", "Almaz", "Mekdes", "Hana"},
		family: []string{"Tadesse", "Bekele", "Girma", "Haile", "Kebede", "Alemu", "Wolde", "Tesfaye", "Mengistu", "Abebe"}},
	{code: "HU", weight: 2, second: []string{"RO", "SK"},
		male:   []string{"László", "Laszlo", "Zoltán", "Attila", "Gábor", "István", "Sándor", "Tamás"},
		female: []string{"Erzsébet", "Katalin", "Krisztina", "Anikó"},
		family: []string{"Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Lakatos", "Balogh", "Oláh"}},
	{code: "SO", weight: 2, second: []string{"GB", "NL"},
		male:   []string{"Abdi", "Cabdi", "Abdirahman", "Mohamed", "Mohamud", "Mahamed", "Hassan", "Farah", "Ahmed", "Omar"},
		female: []string{"Hodan", "Amina", "Ayaan", "Faadumo", "Fadumo", "Sahra", "Hibo", "Ifrah"},
		family: []string{"Farah", "Hassan", "Ali", "Abdi", "Warsame", "Jama", "Mohamud", "Osman", "Hersi", "Egal", "Aden", "Yusuf"}},
	{code: "PK", weight: 2, second: []string{"GB"},
		male:   []string{"Imran", "Asif", "Tariq", "Bilal", "Usman", "Muhammad", "Zeeshan"},
		female: []string{"Ayesha", "Sana", "Fatima", "Nadia", "Rabia"},
		family: []string{"Khan", "Ahmed", "Hussain", "Iqbal", "Malik", "Butt", "Raza"}},
}

// variants groups spellings of one name that appear across records of the same person.
var variants = [][]string{
	{"Mohammed", "Muhammad", "Mohamed", "Mohammad", "Mohamad"},
	{"Oleksandr", "Aleksandr", "Alexander", "Olexandr"},
	{"Ahmed", "Ahmad"}, {"Yousif", "Yusuf"}, {"Osman", "Othman"},
	{"Ștefan", "Stefan", "Ştefan"}, {"Łukasz", "Lukasz"}, {"Andriy", "Andrii"},
	{"Serhiy", "Sergiy", "Serhii"}, {"Hossein", "Hussein"}, {"Saeed", "Said"},
	{"Abdi", "Cabdi"}, {"Faadumo", "Fadumo"}, {"Naweed", "Naveed"}, {"Leila", "Layla"},
	{"Nataliia", "Natalia"}, {"László", "Laszlo"}, {"Mohamud", "Mahamed"},
	{"Văn Minh", "Van Minh"}, {"Đức Anh", "Duc Anh"}, {"Thị Lan", "Thi Lan"}, {"Thị Hương", "Thi Huong"},
	{"Nguyen", "Nguyễn"}, {"Tran", "Trần"}, {"Pham", "Phạm"}, {"Hoang", "Hoàng"},
}

// nicknames are everyday short forms of given names.
var nicknames = map[string][]string{
	"Oleksandr": {"Sasha", "Sanya"}, "Aleksandr": {"Sasha"}, "Alexander": {"Alex", "Sasha"},
	"Dmytro": {"Dima"}, "Mykola": {"Kolya"}, "Volodymyr": {"Vova"}, "Ivan": {"Vanya"},
	"Katarzyna": {"Kasia"}, "Małgorzata": {"Gosia"}, "Wojciech": {"Wojtek"}, "Krzysztof": {"Krzysiek"},
	"Gheorghe": {"Gică"}, "Babatunde": {"Tunde"}, "Oluwaseun": {"Seun"}, "Chinedu": {"Chi"},
	"Abdirahman": {"Abdi"}, "Mohammed": {"Mo"}, "Muhammad": {"Mo"}, "James": {"Jimmy"},
	"Daniel": {"Danny"}, "Michael": {"Mikey"}, "Stephen": {"Steve"}, "Tomasz": {"Tomek"},
	"Abdullah": {"Abdul"}, "Rahmatullah": {"Rahmat"}, "Zabiullah": {"Zabi"}, "Gurpreet": {"Gurp"},
	"Sukhwinder": {"Sukhi"}, "Kateryna": {"Katya"}, "Yohannes": {"Johnny"}, "Bethlehem": {"Betty"},
	"Selamawit": {"Selam"}, "Xhesika": {"Jessica"}, "Nikolay": {"Niki"}, "Constantin": {"Costel"},
}

// workNames are names people report being given by those who exploited them.
var workNames = map[bool][]string{
	true:  {"Johnny", "Tommy", "Lucky", "Boss Boy", "Tony", "Kid", "Mike", "Shorty", "Chef", "Romeo"},
	false: {"Angel", "Candy", "Bella", "Lily", "Rosie", "Mimi", "Anna", "Sweetie", "Nina", "Sofia"},
}

// staffFirst and staffLast make up the names of demo staff.
var staffFirst = []string{
	"Alex", "Priya", "Tom", "Grace", "Sam", "Aisha", "Ben", "Chloe", "Dan", "Ellie", "Farhan", "Gemma",
	"Harry", "Imogen", "Jack", "Kate", "Leon", "Maya", "Nathan", "Olivia", "Patrick", "Rachel", "Simon",
	"Tara", "Umar", "Vicky", "Will", "Zoe", "Joe", "Hannah", "Marcus", "Niamh", "Owen", "Ruth", "Kwame",
	"Mei", "Dominika", "Ahmed", "Bronwen", "Callum",
}

var staffLast = []string{
	"Ashby", "Blackwood", "Carver", "Dunmore", "Ellison", "Fairbairn", "Garside", "Holroyd", "Ingham",
	"Jowett", "Kershaw", "Lister", "Moorhouse", "Nuttall", "Oldroyd", "Pickles", "Quarmby", "Rushworth",
	"Stansfield", "Thwaite", "Uttley", "Varley", "Whiteley", "Yeadon", "Ackroyd", "Brearley", "Crowther",
	"Denby", "Eastwood", "Firth", "Greenwood", "Haigh", "Illingworth", "Jagger", "Kitson", "Lumb",
	"Mellor", "Naylor", "Oates", "Pogson",
}

// places are fictional spots in Northmoor where outreach workers meet people.
var places = []string{
	"the Station Road car park", "the canal towpath by Mill Lane", "the Harbour Street underpass",
	"the car wash on Eastgate", "the bus station", "the doorway of the old cinema on Kirk Street",
	"Fennel Park", "the industrial estate off Moor Road", "the multi-storey on Cross Lane",
	"the retail park in Harrowdale", "Eastfell market",
}

// firstSentences open a note: how the person came to the service.
var firstSentences = []string{
	"Met {name} rough sleeping at {place} on early outreach.",
	"{name} came to the day centre for breakfast and asked about work.",
	"Found {name} sleeping in a tent at {place}; first contact.",
	"{name} was referred by hostel night staff after arriving late with injuries to {his} hands.",
	"Welfare check at {place}: {name} was found living in a flat with eight other adults.",
	"{name} attended A&E twice this month with untreated injuries.",
	"Seen with a group picked up by a van at {place} at 5am.",
	"{name} asked for help with a bank account that someone else controls.",
	"{name} presented as homeless after leaving a shared house linked to a car wash.",
	"{name} was brought in by a friend who was worried about the people {name} works for.",
}

// secondSentences follow with a concern or an action.
var secondSentences = []string{
	"Says {his} passport is kept by the man who found {him} the job.",
	"Describes working long hours at a car wash for very little pay.",
	"Owes a debt for travel to the UK that keeps growing.",
	"Did not want to talk in front of the man who came with {him}.",
	"Needs an interpreter; we used a telephone interpreter today.",
	"Agreed to come back on Thursday to talk to the safeguarding lead.",
	"Not ready to talk about the NRM yet; we will offer again after some rest.",
	"Phone seems to be checked by others, so do not text.",
	"Has been sleeping at the workplace and is not allowed to go out alone.",
	"Registered with a GP today and booked a follow-up.",
}
