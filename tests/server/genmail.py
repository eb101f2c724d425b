#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Generate realistic, deterministic sample mail for pons's tests and benchmarks.

    genmail.py -n N [--seed S] (-o DIR | --maildir DIR)

The same N and seed always give byte-identical messages (and file names).
Messages come in threads (Message-ID, In-Reply-To, References, "Re:"),
with quoted replies, attachments (base64), quoted-printable bodies, RFC 2047
subjects and names in utf-8, iso-8859-1, windows-1252, koi8-r and
iso-2022-jp, HTML alternatives and HTML-only mail, format=flowed text, RFC 2231 file names, the
odd forwarded message/rfc822, and a long-tailed size distribution.

-o DIR         writes DIR/000001.eml ... (LF line ends)
--maildir DIR  writes straight into the Maildir DIR/cur with names Dovecot
               accepts (TIME.Mn.pons,S=SIZE,W=VSIZE:2,FLAGS) and the file's
               mtime set to the arrival time; about a third are unread.
--attach-max B caps attachment sizes (default 3 MiB; fewer bytes, same mail).
--stats        prints the count and total bytes on stderr.
"""

import argparse
import base64
import binascii
import os
import random
import sys

# ---------------------------------------------------------------- word stock

EN = ("the project meeting budget review schedule release draft report "
      "server backup update team week notes agenda plan issue ticket "
      "deadline invoice quarter proposal design test build patch feature "
      "customer support network change request minutes summary question "
      "answer follow-up result figures document version config data "
      "migration storage access policy holiday lunch office travel "
      "contract offer order delivery status weekend morning afternoon "
      "please could would should will can need want think know see "
      "attached below above today tomorrow yesterday soon later again "
      "thanks regards sorry great fine good quick short long new old "
      "first last next final open closed pending ready done almost "
      "about with from into over after before during while since "
      "we you they it our your their this that these those some any "
      "have has had was were is are be been being do does did "
      "mail client terminal bridge index pager folder message thread").split()

DE = ("Besprechung Termin Bericht Änderung Größe Übersicht Rückmeldung "
      "Grüße Straße Prüfung Lösung Frühstück Gebäude Schlüssel Müller "
      "heute morgen bitte danke schön gerne natürlich später früher "
      "über für während nächste Woche Mittwoch Tabelle Angebot Rechnung "
      "und oder aber nicht noch schon auch sehr wir ihr sie es das die "
      "der ist sind war haben hätte können müssen würde fertig offen").split()

FR = ("réunion été déjà très prêt problème résumé activité équipe "
      "congé début fenêtre hôtel leçon reçu façon garçon où là "
      "élève créé numéro échéance proposition budget semaine "
      "demain aujourd'hui merci cordialement bientôt après avant "
      "nous vous ils le la les des une un est sont avec pour dans "
      "projet rapport facture document version serveur").split()

RU = ("привет встреча отчёт проект неделя завтра сегодня спасибо "
      "пожалуйста вопрос ответ документ сервер версия файл письмо "
      "команда бюджет план задача срок готово почти хорошо новый "
      "старый первый последний мы вы они это наш ваш и или но не "
      "уже ещё очень можно нужно будет был была были").split()

JA = ("会議 資料 報告 予定 確認 お願い 本日 明日 来週 先週 "
      "よろしく ありがとう ございます 件名 添付 ファイル 修正 "
      "対応 連絡 担当 進捗 問題 解決 開発 試験 版 設定 サーバ "
      "です ます ので から まで また ただし").split()

EMOJI = ["\U0001F600", "\U0001F44D", "\U0001F389", "\u2615", "\U0001F4CE",
         "\u2764\ufe0f", "\U0001F680", "\u2705"]

CP1252_EXTRA = ["\u20ac", "\u201c", "\u201d", "\u2018", "\u2019", "\u2013",
                "\u2014", "\u2026"]

# Locales: (words, joiner, [(charset, weight)], body encodings)
LOCALES = {
    "en": (EN, " ", [("us-ascii", 1)]),
    "de": (DE + EN[:40], " ", [("iso-8859-1", 3), ("utf-8", 3),
                               ("windows-1252", 1)]),
    "fr": (FR + EN[:40], " ", [("windows-1252", 3), ("iso-8859-1", 2),
                               ("utf-8", 2)]),
    "ru": (RU, " ", [("koi8-r", 3), ("utf-8", 3)]),
    "ja": (JA, "", [("iso-2022-jp", 3), ("utf-8", 2)]),
    "mix": (EN + DE[:20] + FR[:20] + RU[:10], " ", [("utf-8", 1)]),
}
LOCALE_WEIGHTS = [("en", 55), ("de", 12), ("fr", 10), ("ru", 8), ("ja", 7),
                  ("mix", 8)]

FIRST = ("Alice Bob Carol Dave Erin Frank Grace Heidi Ivan Judy Mallory "
         "Niaj Olivia Peggy Rupert Sybil Trent Victor Walter Yves Zoe "
         "Hannah Oscar Lena Marco Priya Kenji Tomás Sofía").split()
LAST = ("Smith Jones Taylor Brown Wilson Evans Thomas Roberts Walker "
        "Wright Green Hall Wood Clarke Hughes Edwards Baker Young King "
        "Nakamura Okafor Novak Silva Rossi Dubois").split()
FIRST_I18N = {
    "de": ["Jürgen", "Björn", "Käthe", "Jörg", "Günther", "Änne"],
    "fr": ["Hélène", "Frédéric", "Zoé", "Jérôme", "Anaïs", "Loïc"],
    "ru": ["Иван", "Ольга", "Дмитрий", "Наталья", "Сергей", "Анна"],
    "ja": ["太郎", "花子", "健二", "由美", "翔太", "さくら"],
    "mix": ["Renée", "Søren", "Łukasz", "Zoë", "Ångström", "Ñoño"],
}
LAST_I18N = {
    "de": ["Müller", "Schäfer", "Groß", "Köhler", "Weiß"],
    "fr": ["Lefèvre", "Bénard", "Moreau", "Gérard", "Dupré"],
    "ru": ["Иванов", "Петрова", "Смирнов", "Кузнецова", "Попов"],
    "ja": ["山田", "佐藤", "鈴木", "高橋", "田中"],
    "mix": ["Østergaard", "Dvořák", "Çelik", "Nuñez", "Żak"],
}
DOMAINS = ["example.org", "example.com", "example.net", "mail.example.org",
           "lists.example.com", "corp.example", "uni.example.edu",
           "shop.example"]
AGENTS = ["pons/0.1", "Mutt/2.2.9", "Thunderbird/115.6.0",
          "Evolution 3.46.4", "Roundcube Webmail/1.6.5", "K-9 Mail/6.7",
          "Apple Mail (2.3774)", "Microsoft Outlook 16.0"]
LISTS = [("pons-dev", "pons development"), ("ops", "operations"),
         ("announce", "announcements"), ("users", "user questions")]
ATTACH = [
    ("application/pdf", "pdf", b"%PDF-1.4\n"),
    ("image/png", "png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", "jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
    ("application/zip", "zip", b"PK\x03\x04"),
    ("application/vnd.oasis.opendocument.text", "odt", b"PK\x03\x04"),
    ("application/octet-stream", "bin", b""),
]
ATTACH_NAMES = ["report", "invoice", "photo", "scan", "notes", "slides",
                "budget", "diagram", "minutes", "contract", "logs"]
ATTACH_NAMES_I18N = ["Übersicht", "résumé", "отчёт", "資料", "naïve plan",
                     "Größe und Maße", "café menu"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]
ZONES = [0, 60, 120, -300, -240, -420, 330, 540, 180, 600, -180]

ATTACH_MAX = 3 * 1024 * 1024   # --attach-max
END_TIME = 1767225600          # 2026-01-01 00:00:00 UTC, fixed: deterministic
SPAN = 3 * 365 * 86400         # messages spread over three years before it


def wpick(rng, pairs):
    total = sum(w for _, w in pairs)
    r = rng.random() * total
    for v, w in pairs:
        r -= w
        if r < 0:
            return v
    return pairs[-1][0]


# ------------------------------------------------------------ text making

def sentence(rng, loc, nmin=5, nmax=16):
    words, joiner, _ = LOCALES[loc]
    n = rng.randint(nmin, nmax)
    ws = rng.choices(words, k=n)
    if loc == "mix" and rng.random() < 0.3:
        ws.append(rng.choice(EMOJI))
    s = joiner.join(ws)
    if loc == "ja":
        return s + "。"
    return s[:1].upper() + s[1:] + rng.choice([".", ".", ".", "?", "!"])


def paragraphs(seed, loc, charset):
    """Body paragraphs of one message, regenerated from its own seed."""
    rng = random.Random(seed)
    # Long tail: mostly a few short paragraphs, sometimes a long essay.
    n = max(1, min(60, int(rng.lognormvariate(0.9, 0.8))))
    out = []
    for _ in range(n):
        p = (" " if LOCALES[loc][1] else "").join(
            sentence(rng, loc) for _ in range(rng.randint(1, 5)))
        if charset == "windows-1252" and rng.random() < 0.5:
            p = rng.choice(CP1252_EXTRA[1:3]).join(["", p, ""])
            p += " " + rng.choice(["5 \u20ac", "\u2013 ok", "wait\u2026"])
        out.append(p)
    return out


def wrap(text, width=72):
    """Greedy word wrap; returns lines without trailing spaces."""
    if " " not in text:
        # No spaces (Japanese): cut by characters.
        return [text[i:i + 36] for i in range(0, len(text), 36)] or [""]
    lines, cur = [], ""
    for w in text.split(" "):
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = cur + " " + w if cur else w
    lines.append(cur)
    return lines


def flowed(paras, quote_lines):
    """format=flowed (RFC 3676): soft breaks end with a space."""
    out = []
    for q in quote_lines:
        out.append(q)
    for p in paras:
        lines = wrap(p, 66)
        for i, ln in enumerate(lines):
            if ln.startswith((" ", ">", "From ")):
                ln = " " + ln          # space-stuffing
            out.append(ln + (" " if i < len(lines) - 1 else ""))
        out.append("")
    return out


def fixed(paras, quote_lines):
    out = list(quote_lines)
    for p in paras:
        out.extend(wrap(p))
        out.append("")
    return out


def html_of(paras, quote_paras):
    esc = (lambda s: s.replace("&", "&amp;").replace("<", "&lt;")
           .replace(">", "&gt;"))
    h = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\">",
         "<style>p { margin: 0 0 1em 0; }</style></head><body>"]
    for p in paras:
        h.append("<p>" + esc(p) + "</p>")
    if quote_paras:
        h.append("<blockquote type=\"cite\">")
        h.extend("<p>" + esc(p) + "</p>" for p in quote_paras)
        h.append("</blockquote>")
    h.append("</body></html>")
    return h


# ------------------------------------------------------------ encodings

def qp(data):
    return binascii.b2a_qp(data, quotetabs=False, istext=True).decode("ascii")


def b64(data):
    return base64.encodebytes(data).decode("ascii").rstrip("\n")


def enc_words(text, charset, rng, prefix_len):
    """RFC 2047 encoded-words (B or Q), each <= 75 chars, whole characters
    only, folded onto continuation lines."""
    mode = rng.choice("BQ") if charset != "iso-2022-jp" else "B"
    cs = charset.upper() if rng.random() < 0.3 else charset
    words, chunk = [], ""
    overhead = len(cs) + 7

    def encode(s):
        raw = s.encode(charset)
        if mode == "B":
            return base64.b64encode(raw).decode("ascii")
        out = []
        for b in raw:
            c = chr(b)
            if c == " ":
                out.append("_")
            elif c.isalnum() and b < 128:
                out.append(c)
            else:
                out.append("=%02X" % b)
        return "".join(out)

    def qlen(raw):
        return sum(1 if (b < 128 and (chr(b).isalnum() or b == 32)) else 3
                   for b in raw)

    stateless = charset != "iso-2022-jp"
    nraw = 0
    for ch in text:
        if stateless:
            raw = ch.encode(charset)
            add = len(raw) if mode == "B" else qlen(raw)
            elen = 4 * ((nraw + add + 2) // 3) if mode == "B" else nraw + add
        else:
            add = 0
            elen = len(encode(chunk + ch))
        if chunk and overhead + elen > 75:
            words.append("=?%s?%s?%s?=" % (cs, mode, encode(chunk)))
            chunk, nraw = ch, add
        else:
            chunk, nraw = chunk + ch, nraw + add
    if chunk:
        words.append("=?%s?%s?%s?=" % (cs, mode, encode(chunk)))
    return "\n ".join(words)


def header_text(text, charset, rng, prefix_len=9):
    """Subject-like unstructured text: plain when ASCII, else RFC 2047."""
    try:
        text.encode("ascii")
        lines = wrap(text, 70)
        return "\n ".join(lines)
    except UnicodeEncodeError:
        pass
    if charset in ("us-ascii", None):
        charset = "utf-8"
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        charset = "utf-8"
    return enc_words(text, charset, rng, prefix_len)


def display_name(name, charset, rng):
    try:
        name.encode("ascii")
        if any(c in name for c in ",.;:@<>()[]\"\\"):
            return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return name
    except UnicodeEncodeError:
        return header_text(name, charset, rng)


def fmt_date(t, zone_min):
    lt = t + zone_min * 60
    days, secs = divmod(lt, 86400)
    # civil-from-days (proleptic Gregorian), no time module: deterministic.
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    if m <= 2:
        y += 1
    wd = (days + 3) % 7        # 1970-01-01 was a Thursday
    sign = "+" if zone_min >= 0 else "-"
    zm = abs(zone_min)
    return "%s, %d %s %d %02d:%02d:%02d %s%02d%02d" % (
        WEEKDAYS[wd], d, MONTHS[m - 1], y, secs // 3600, secs // 60 % 60,
        secs % 60, sign, zm // 60, zm % 60)


# ------------------------------------------------------------ people

class Person:
    __slots__ = ("name", "addr", "loc")

    def __init__(self, name, addr, loc):
        self.name, self.addr, self.loc = name, addr, loc


def make_people(rng, n):
    people = []
    for i in range(n):
        loc = wpick(rng, LOCALE_WEIGHTS)
        native = loc != "en" and rng.random() < 0.6
        if native:
            first = rng.choice(FIRST_I18N[loc])
            last = rng.choice(LAST_I18N[loc])
        else:
            first, last = rng.choice(FIRST), rng.choice(LAST)
        ascii_first = first.encode("ascii", "ignore").decode() or "user"
        ascii_last = last.encode("ascii", "ignore").decode() or str(i)
        local = rng.choice(["%s.%s", "%s%s", "%s_%s"]) % (
            ascii_first.lower(), ascii_last.lower())
        if not ascii_first.isascii() or local.strip("._") == "":
            local = "user%d" % i
        addr = "%s%s@%s" % (local, "" if rng.random() < 0.7 else str(i),
                            rng.choice(DOMAINS))
        name = "" if rng.random() < 0.08 else \
            (last + first if native and loc == "ja" else first + " " + last)
        people.append(Person(name, addr, loc))
    return people


def fmt_addr(p, charset, rng):
    if not p.name:
        return p.addr
    return "%s <%s>" % (display_name(p.name, charset, rng), p.addr)


# ------------------------------------------------------------ planning

class Msg:
    __slots__ = ("time", "tid", "pos", "parent", "seed", "sender", "to",
                 "cc", "zone", "refs", "msgid", "fwd")


def plan(rng, n, people, seed):
    """Threads -> list of Msg sorted by arrival time, exactly n long."""
    msgs = []
    threads = []
    tid = 0
    while len(msgs) < n:
        # Thread size: 55% single, else a long tail up to 40.
        if rng.random() < 0.55:
            size = 1
        else:
            size = min(40, 2 + int(rng.paretovariate(1.3)) - 1)
        size = min(size, n - len(msgs))
        loc = wpick(rng, LOCALE_WEIGHTS)
        charset = wpick(rng, LOCALES[loc][2])
        members = [p for p in rng.sample(people, min(len(people), 6))]
        lst = rng.choice(LISTS) if rng.random() < 0.2 else None
        th = {"loc": loc, "charset": charset, "list": lst,
              "subject_seed": rng.getrandbits(48), "msgs": []}
        threads.append(th)
        t0 = END_TIME - SPAN + rng.randrange(SPAN - 86400 * 30)
        for pos in range(size):
            m = Msg()
            m.tid, m.pos = tid, pos
            m.seed = rng.getrandbits(48)
            m.sender = rng.choice(members)
            m.to = [p for p in members if p is not m.sender][:rng.randint(1, 3)]
            m.cc = [p for p in members if p is not m.sender and p not in m.to]
            m.cc = m.cc[:rng.randint(0, 2)] if rng.random() < 0.3 else []
            m.zone = rng.choice(ZONES)
            m.fwd = False
            if pos == 0:
                m.parent = None
                m.time = t0
                m.refs = []
            else:
                # Mostly answer the latest message, sometimes an earlier one.
                if rng.random() < 0.75:
                    parent = th["msgs"][-1]
                else:
                    parent = rng.choice(th["msgs"])
                m.parent = parent
                m.time = parent.time + 60 + int(rng.expovariate(1 / 20000.0))
                m.refs = (parent.refs + [parent.msgid])
                if len(m.refs) > 12:
                    m.refs = m.refs[:1] + m.refs[-11:]
            host = rng.choice(DOMAINS)
            m.msgid = "<%x.%x.%d.%012x@%s>" % (seed, tid, pos, m.seed, host)
            th["msgs"].append(m)
            msgs.append(m)
        tid += 1
    msgs.sort(key=lambda m: (m.time, m.tid, m.pos))
    return msgs, threads


# ------------------------------------------------------------ rendering

def subject_of(th, rng_seed):
    rng = random.Random(rng_seed)
    s = sentence(rng, th["loc"], 3, 8).rstrip(".?!。")
    if th["loc"] == "mix" and rng.random() < 0.5:
        s += " " + rng.choice(EMOJI)
    if th["list"]:
        s = "[%s] %s" % (th["list"][0], s)
    return s


def body_charset(charset, text):
    if charset == "us-ascii":
        try:
            text.encode("ascii")
            return "us-ascii"
        except UnicodeEncodeError:
            return "utf-8"
    try:
        text.encode(charset)
        return charset
    except UnicodeEncodeError:
        return "utf-8"


def text_part(rng, lines, charset, flowed_fmt, subtype="plain"):
    text = "\n".join(lines).rstrip("\n") + "\n"
    cs = body_charset(charset, text)
    raw = text.encode(cs)
    ct = "text/%s; charset=%s" % (subtype, cs if rng.random() < 0.8 else
                                  '"%s"' % cs)
    if flowed_fmt:
        ct += "; format=flowed"
        if rng.random() < 0.3:
            ct += "; delsp=no"
    longest = max(len(x) for x in raw.split(b"\n"))
    if cs in ("us-ascii", "iso-2022-jp") and longest < 900:
        cte, body = "7bit", raw.rstrip(b"\n")
    elif cs == "utf-8" and rng.random() < 0.3:
        cte, body = "base64", b64(raw).encode("ascii")
    elif rng.random() < 0.15 and longest < 900:
        cte, body = "8bit", raw.rstrip(b"\n")
    else:
        cte, body = "quoted-printable", qp(raw).rstrip("\n").encode("ascii")
    return ["Content-Type: " + ct, "Content-Transfer-Encoding: " + cte], body


def attachment(rng, idx, charset):
    ctype, ext, magic = ATTACH[rng.randrange(len(ATTACH))]
    # Long tail of sizes: median ~12 KB, now and then a few MB.
    size = min(ATTACH_MAX, int(rng.lognormvariate(9.4, 1.4)) + 200)
    data = magic + rng.randbytes(max(0, size - len(magic)))
    if rng.random() < 0.2:
        base = rng.choice(ATTACH_NAMES_I18N)
    else:
        base = rng.choice(ATTACH_NAMES) + "-%d" % idx
    fname = "%s.%s" % (base, ext)
    try:
        fname.encode("ascii")
        disp = 'attachment; filename="%s"' % fname
        ctp = '%s; name="%s"' % (ctype, fname)
    except UnicodeEncodeError:
        q = "".join(c if (c.isascii() and (c.isalnum() or c in ".-_"))
                    else "".join("%%%02X" % b for b in c.encode("utf-8"))
                    for c in fname)
        disp = "attachment;\n filename*=utf-8''%s" % q
        ctp = "%s;\n name=\"%s\"" % (ctype, header_text(fname, "utf-8", rng))
    hdr = ["Content-Type: " + ctp, "Content-Disposition: " + disp,
           "Content-Transfer-Encoding: base64"]
    return hdr, b64(data).encode("ascii")


def csv_attachment(rng, idx):
    rows = ["date,item,amount"]
    for i in range(rng.randint(3, 200)):
        rows.append("2025-%02d-%02d,item %d,%d.%02d" % (
            rng.randint(1, 12), rng.randint(1, 28), i, rng.randint(1, 999),
            rng.randint(0, 99)))
    data = ("\n".join(rows) + "\n").encode("ascii")
    hdr = ['Content-Type: text/csv; charset=us-ascii; name="data-%d.csv"' % idx,
           'Content-Disposition: attachment; filename="data-%d.csv"' % idx,
           "Content-Transfer-Encoding: quoted-printable"]
    return hdr, qp(data).rstrip("\n").encode("ascii")


def multipart(rng, subtype, parts, tag):
    boundary = "=_pons_%s_%012x" % (tag, rng.getrandbits(48))
    hdr = ['Content-Type: multipart/%s;\n boundary="%s"' % (subtype,
                                                            boundary)]
    out = []
    if rng.random() < 0.5:
        out.append(b"This is a multi-part message in MIME format.")
        out.append(b"")
    for ph, pb in parts:
        out.append(b"--" + boundary.encode())
        out.append("\n".join(ph).encode("ascii"))
        out.append(b"")
        out.append(pb)
    out.append(b"--" + boundary.encode() + b"--")
    return hdr, b"\n".join(out)


def render(m, th, people, rng_root, n_index):
    rng = random.Random(m.seed ^ 0x5EED)
    loc, charset = th["loc"], th["charset"]
    subj = subject_of(th, th["subject_seed"])
    if m.pos > 0:
        prefix = "Re: "
        if loc == "de" and rng.random() < 0.4:
            prefix = "AW: "
        elif rng.random() < 0.05:
            prefix = "RE: "
        subj = prefix + subj
    paras = paragraphs(m.seed, loc, charset)
    # A reply quotes the head of its parent, regenerated from its seed.
    quote = []
    quote_paras = []
    if m.parent is not None:
        quote_paras = paragraphs(m.parent.seed, loc, charset)[:2]
        who = m.parent.sender.name or m.parent.sender.addr
        quote.append("On %s, %s wrote:" % (
            fmt_date(m.parent.time, m.parent.zone)[5:16], who))
        for p in quote_paras:
            quote.extend("> " + ln for ln in wrap(p, 68))
        quote.append("")
    top = rng.random() < 0.4
    flowed_fmt = rng.random() < 0.25
    sig = ["-- ", m.sender.name or m.sender.addr]
    if flowed_fmt:
        lines = flowed(paras, [] if top else quote)
    else:
        lines = fixed(paras, [] if top else quote)
    lines += sig
    if top and quote:
        lines += [""] + quote
    # Structure.
    r = rng.random()
    want_html = r < 0.3
    n_att = 0
    if rng.random() < 0.07:
        n_att = 1 if rng.random() < 0.7 else rng.randint(2, 4)
    want_csv = rng.random() < 0.03
    want_fwd = m.pos == 0 and rng.random() < 0.02
    th_hdr, tb = text_part(rng, lines, charset, flowed_fmt)
    body_part = (th_hdr, tb)
    html_only = 0.3 <= r < 0.34
    if want_html or html_only:
        hh, hb = text_part(rng, html_of(paras, quote_paras), "utf-8", False,
                           "html")
        if html_only:
            body_part = (hh, hb)
        else:
            body_part = multipart(rng, "alternative",
                                  [body_part, (hh, hb)], "alt")
    parts = [body_part]
    for i in range(n_att):
        parts.append(attachment(rng, i + 1, charset))
    if want_csv:
        parts.append(csv_attachment(rng, n_index))
    if want_fwd:
        inner_sender = rng.choice(people)
        inner = ["From: " + fmt_addr(inner_sender, "utf-8", rng),
                 "Date: " + fmt_date(m.time - 86400 * rng.randint(1, 30),
                                     rng.choice(ZONES)),
                 "Subject: " + header_text(sentence(rng, loc, 2, 6),
                                           charset, rng),
                 "Message-ID: <fwd.%012x@%s>" % (rng.getrandbits(48),
                                                  rng.choice(DOMAINS)),
                 "MIME-Version: 1.0",
                 "Content-Type: text/plain; charset=utf-8",
                 "Content-Transfer-Encoding: quoted-printable",
                 "",
                 qp("\n\n".join(paragraphs(m.seed + 1, loc, "utf-8"))
                    .encode("utf-8")).rstrip("\n")]
        parts.append((["Content-Type: message/rfc822",
                       "Content-Disposition: inline"],
                      "\n".join(inner).encode("ascii")))
    if len(parts) > 1:
        top_hdr, top_body = multipart(rng, "mixed", parts, "mix")
    else:
        top_hdr, top_body = body_part
    # Headers.
    h = []
    h.append("Return-Path: <%s>" % m.sender.addr)
    h.append("Received: from mx%d.%s (mx%d.%s [192.0.2.%d])\n\tby "
             "mail.example.org with ESMTPS id %012x\n\tfor <%s>; %s" % (
                 rng.randint(1, 9), rng.choice(DOMAINS), rng.randint(1, 9),
                 rng.choice(DOMAINS), rng.randint(1, 254),
                 rng.getrandbits(48), m.to[0].addr if m.to else "x@example.org",
                 fmt_date(m.time + rng.randint(1, 90), 0)))
    h.append("Date: " + fmt_date(m.time, m.zone))
    h.append("From: " + fmt_addr(m.sender, charset, rng))
    tos = m.to or [people[0]]
    if rng.random() < 0.01:
        h.append("To: undisclosed-recipients:;")
    else:
        h.append("To: " + ",\n ".join(fmt_addr(p, charset, rng)
                                      for p in tos))
    if m.cc:
        h.append("Cc: " + ",\n ".join(fmt_addr(p, charset, rng)
                                      for p in m.cc))
    if len(th["msgs"]) > 1 or rng.random() >= 0.01:
        h.append("Subject: " + header_text(subj, charset, rng))
    h.append("Message-ID: " + m.msgid)
    if m.parent is not None:
        h.append("In-Reply-To: " + m.parent.msgid)
        h.append("References: " + "\n ".join(m.refs))
    if th["list"]:
        lid, ldesc = th["list"]
        h.append("List-Id: %s <%s.lists.example.com>" % (ldesc, lid))
        h.append("List-Unsubscribe: <mailto:%s-leave@lists.example.com>" % lid)
        h.append("Precedence: list")
    if rng.random() < 0.6:
        h.append("User-Agent: " + rng.choice(AGENTS))
    h.append("MIME-Version: 1.0")
    h.extend(top_hdr)
    head = "\n".join(h).encode("ascii")
    return head + b"\n\n" + top_body + b"\n"


def generate(n, seed):
    """Yields (index, arrival time, flags, bytes) for n messages."""
    rng = random.Random(seed)
    people = make_people(rng, max(12, min(400, n // 20 + 12)))
    msgs, threads = plan(rng, n, people, seed)
    for i, m in enumerate(msgs):
        data = render(m, threads[m.tid], people, rng, i + 1)
        # Flags: older mail mostly read, a few flagged or answered.
        fr = random.Random(m.seed ^ 0xF1A6)
        flags = ""
        if fr.random() < 0.05:
            flags += "F"
        if m.pos > 0 and fr.random() < 0.1:
            flags += "R"
        if fr.random() < 0.66:
            flags += "S"
        yield i + 1, m.time, flags, data


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, required=True, help="number of messages")
    ap.add_argument("--seed", type=int, default=1)
    out = ap.add_mutually_exclusive_group(required=True)
    out.add_argument("-o", metavar="DIR", help="write DIR/NNNNNN.eml")
    out.add_argument("--maildir", metavar="DIR",
                     help="write into the Maildir DIR (cur/)")
    ap.add_argument("--attach-max", type=int, metavar="BYTES",
                    default=ATTACH_MAX,
                    help="largest attachment (default 3 MiB)")
    ap.add_argument("--stats", action="store_true")
    a = ap.parse_args(argv)
    globals()["ATTACH_MAX"] = max(256, a.attach_max)
    if a.n < 0:
        ap.error("-n must be >= 0")
    if a.o:
        os.makedirs(a.o, exist_ok=True)
    else:
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(a.maildir, sub), exist_ok=True)
    total = 0
    width = max(6, len(str(a.n)))
    for i, t, flags, data in generate(a.n, a.seed):
        total += len(data)
        if a.o:
            path = os.path.join(a.o, "%0*d.eml" % (width, i))
        else:
            vsize = len(data) + data.count(b"\n")
            name = "%d.M%dP%d.pons,S=%d,W=%d:2,%s" % (
                t, i, a.seed, len(data), vsize, "".join(sorted(flags)))
            path = os.path.join(a.maildir, "cur", name)
        with open(path, "wb") as f:
            f.write(data)
        if a.maildir:
            os.utime(path, (t, t))
    if a.stats:
        print("%d messages, %d bytes" % (a.n, total), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
