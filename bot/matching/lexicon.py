"""Word lists the analyser needs, for English, Russian and Chinese.

Stop words carry no topic; fillers are chat noise; attribute words name *what* is asked
(a name, a price, a date ...). A fact can only answer a question whose attributes its own
questions and answer mention: that is what stops "what are the pandas called" from getting
the pandas fact.

These lists shape the matching itself; the word lists that are plain data (greetings, thanks,
command phrases, the out-of-scope prior, the speller's short words) are files under
knowledge/language/, passed in as a `knowledge.types.Language`.
"""

from __future__ import annotations

STOPWORDS = frozenset(
    """
    a an the and or but if then so of to in on at by for with from into onto over about as than
    is are was were be been being am do does did done doing have has had having will would shall
    should can could may might must i me my mine we us our you your he him his she her it its they
    them their this that these those there here what which who whom whose when where why how
    whats what's who's where's how's it's that's there's
    not no nor just only also too very really quite some any all each every both either neither
    one ones s t d ll re ve m don doesn didn isn aren wasn weren won hasn haven hadn
    up out off again further once more most other such own same via per much many
    between among after before during since toward towards apart else whether roughly around
    approximately exact precisely n u ur r y b c e f g h j k l o p q v w x z
    even ever yet already always never often sometimes maybe perhaps probably anyway anyways
    well oh ah wow omg btw imo tbh idk fyi asap etc eh huh lemme gonna wanna gotta dunno
    something anything everything nothing somewhere anywhere everywhere whatever whoever
    much many lot lots few little bit kind sort type way
    tell know let please pls plz thanks thank hey hi hello yo ok okay lol lmao haha hmm um uh
    anyone someone somebody everyone anybody bot guys guy folks pal mate dude bro
    basically actually exactly literally like kinda sorta stuff thing things rn tho though
    wait nah yeah yep yes really right now again still
    get got getting go going gone went come came make made give gave take took
    say said says want wanted wants need needed think thought mean meant
    article story text piece news
    ли ли же бы а и в во на с со к ко по о об от до из у за для при про что кто где когда как
    какой какая какие какое каким почему зачем сколько ли это этот эта эти тот та те то был
    была были было быть есть ещё уже не ни да нет же вот мне меня мы нас вы вас он она они его
    её их ему ей им после до между перед через также только очень тоже или но если чем
    """.split()
)
"""Words that carry no topic. 'say' and friends are here but also count as attributes."""

CJK_STOPCHARS = frozenset(
    "的了吗呢吧啊是在有和与就都也还么什哪谁为何几多少怎样这那个些么呀嘛？?，,。！!"
)

# Attribute classes: the kind of thing a question asks for, matched on the lowercase words
# (phrases as a run of words; Chinese as a substring, longest first).
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "name": ("name", "named", "names", "called", "nickname", "имя", "зовут", "называют",
             "名字", "叫什么"),
    "clock": ("what time", "time is it", "time now", "o'clock", "time zone", "time zones",
              "timezone", "weather", "temperature", "forecast", "который час", "погода", "几点",
              "天气"),
    "money": ("how much", "pay", "pays", "paid", "paying", "cost", "costs", "price", "prices",
              "fee", "fees", "rent", "spend", "spends", "spent", "charge", "charged", "salary",
              "afford", "платит", "платят", "стоит", "цена", "стоимость", "多少钱", "费用",
              "价格"),
    "count": ("how many", "how often", "number of", "сколько", "多少", "几"),
    "share": ("share", "percent", "percentage", "proportion", "fraction", "ratio", "доля",
              "процент", "比例", "百分之"),
    "jobs": ("worker", "workers", "employ", "employs", "employees", "employee", "jobs", "job",
             "staff", "hire", "hiring", "employment", "workforce", "рабочих", "сотрудников",
             "工人", "员工", "就业"),
    "place": ("where", "city", "location", "located", "address", "venue", "где", "город",
              "哪里", "哪儿", "城市", "在哪"),
    "time": ("when", "date", "dates", "year", "years", "month", "hour", "hours", "timeline",
             "what day", "which day", "day of the week",
             "deadline", "когда", "какого числа", "时候", "哪年", "哪天", "时间", "日期"),
    "duration": ("how long", "for how long", "duration", "how many days", "long is",
                 "как долго", "сколько дней", "多久", "多长时间", "几天"),
    "schedule": ("switch on", "go live", "goes live", "launch", "launched", "start", "starts",
                 "begin", "begins", "open", "opens", "finish", "finished", "complete",
                 "completed", "end", "ends", "ended", "return", "returns", "go back",
                 "going back", "until", "operational", "вернут", "вернутся", "запустят",
                 "开通", "返回", "回到", "结束"),
    "speech": ("say", "said", "says", "statement", "speech", "comment", "comments", "told",
               "quote", "quoted", "remark", "remarks", "respond", "response", "reaction",
               "react", "announce", "announced", "claim", "claimed", "words", "сказал",
               "заявил", "заявление", "说", "表示", "称"),
    "reason": ("why", "reason", "reasons", "because", "cause", "motive", "почему", "зачем",
               "причина", "为什么", "为何", "原因"),
    "definition": ("define", "definition", "meaning", "stand for", "stands for",
                   "how does it work", "что такое", "定义"),
    "age": ("age", "old", "born", "birthday", "young", "возраст", "лет", "年龄", "岁"),
    "size": ("tall", "tallest", "height", "size", "big", "bigger", "biggest", "large",
             "larger", "largest", "huge", "weigh", "weighs", "weight", "heavy", "area",
             "высота", "размер", "最大", "多大", "多高", "多重"),
}

SOFT_ATTRIBUTES = frozenset({"size", "place"})
"""Attributes that facts often answer without naming them; a mismatch costs less."""

COMMON_WORDS = frozenset(
    """
    work works worked working make makes use used uses using time times people person thing
    way day days week weeks year years new old first last next good bad big small large little
    long short high low right left own other another same different important main major real
    show shows showed help helps helped start started end ended get put set keep kept take find
    found give ask asked seem feel felt try tried leave left move moved play run live turn turned
    happen happened change changed build built part place case point group number world area
    home side hand life fact idea kind sort lot state level matter question answer problem
    reason thing deal news company companies business money also well back still just even
    become became bring brought begin began call called hold held stand stood talk talked
    tell told look looked see saw seen know known think thought want wanted like liked need
    come came go went gone happen mean meant allow able open close closed late early recent
    """.split()
)
"""Everyday words: weak evidence either way, whatever their rarity in one fact base."""
