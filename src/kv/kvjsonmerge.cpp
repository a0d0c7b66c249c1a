#include "kvjsonmerge.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <vector>

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxDepth = 512; // deeper values are merged as text

struct Member;

// A JSON value with its exact text, so what is not changed is written back byte for byte.
struct Node
{
    enum class Type {
        Object,
        Array,
        Scalar
    };
    Type type = Type::Scalar;
    QByteArray raw;
    std::vector<Member> members;     // Object, in their order
    QHash<QString, qsizetype> index; // Object: a member's place by its name (objects of many members)
    std::vector<Node> items;         // Array
};

struct Member
{
    QString name;
    QByteArray key; // the name's JSON text, as written
    Node value;
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Reads the structure of a text QJsonDocument has already found valid.
class Parser final
{
public:
    explicit Parser(const QByteArray &text)
        : m_text(text)
    {
    }

    bool parse(Node *root)
    {
        skipSpace();
        if (!value(root, 0))
            return false;
        skipSpace();
        return m_pos == m_text.size();
    }

private:
    bool value(Node *node, int depth)
    {
        if (depth > kMaxDepth || m_pos >= m_text.size())
            return false;
        const qsizetype begin = m_pos;
        bool ok = false;
        if (m_text[m_pos] == '{') {
            node->type = Node::Type::Object;
            ok = object(node, depth);
        } else if (m_text[m_pos] == '[') {
            node->type = Node::Type::Array;
            ok = array(node, depth);
        } else {
            node->type = Node::Type::Scalar;
            ok = scalar();
        }
        node->raw = m_text.mid(begin, m_pos - begin);
        return ok;
    }

    bool object(Node *node, int depth)
    {
        ++m_pos;
        skipSpace();
        if (take('}'))
            return true;
        do {
            skipSpace();
            Member member;
            const qsizetype keyBegin = m_pos;
            if (!string())
                return false;
            member.key = m_text.mid(keyBegin, m_pos - keyBegin);
            member.name = QJsonDocument::fromJson('[' + member.key + ']').array().at(0).toString();
            if (node->index.contains(member.name))
                return false; // which one counts is up to each reader: not merged as members
            node->index.insert(member.name, qsizetype(node->members.size()));
            skipSpace();
            if (!take(':'))
                return false;
            skipSpace();
            if (!value(&member.value, depth + 1))
                return false;
            node->members.push_back(std::move(member));
            skipSpace();
        } while (take(','));
        return take('}');
    }

    bool array(Node *node, int depth)
    {
        ++m_pos;
        skipSpace();
        if (take(']'))
            return true;
        do {
            skipSpace();
            Node item;
            if (!value(&item, depth + 1))
                return false;
            node->items.push_back(std::move(item));
            skipSpace();
        } while (take(','));
        return take(']');
    }

    bool string()
    {
        if (!take('"'))
            return false;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos++];
            if (c == '\\')
                ++m_pos;
            else if (c == '"')
                return true;
        }
        return false;
    }

    bool scalar()
    {
        if (m_pos < m_text.size() && m_text[m_pos] == '"')
            return string();
        const qsizetype begin = m_pos;
        while (m_pos < m_text.size() && !isSpace(m_text[m_pos]) && !QByteArrayView(",]}").contains(m_text[m_pos]))
            ++m_pos;
        return m_pos > begin;
    }

    bool take(char c)
    {
        if (m_pos >= m_text.size() || m_text[m_pos] != c)
            return false;
        ++m_pos;
        return true;
    }

    void skipSpace()
    {
        while (m_pos < m_text.size() && isSpace(m_text[m_pos]))
            ++m_pos;
    }

    const QByteArray &m_text;
    qsizetype m_pos = 0;
};

bool parseJson(const QByteArray &text, Node *root)
{
    QJsonParseError error;
    QJsonDocument::fromJson('[' + text + ']', &error);
    return error.error == QJsonParseError::NoError && Parser(text).parse(root);
}

const Member *findMember(const Node *object, const QString &name)
{
    if (!object || object->type != Node::Type::Object)
        return nullptr;
    const auto found = object->index.constFind(name);
    return found == object->index.constEnd() ? nullptr : &object->members[size_t(*found)];
}

// The same value: members in any order, scalars spelled alike.
bool same(const Node *a, const Node *b)
{
    if (!a || !b)
        return a == b;
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case Node::Type::Scalar:
        return a->raw == b->raw;
    case Node::Type::Array:
        if (a->items.size() != b->items.size())
            return false;
        for (size_t i = 0; i < a->items.size(); ++i) {
            if (!same(&a->items[i], &b->items[i]))
                return false;
        }
        return true;
    case Node::Type::Object:
        if (a->members.size() != b->members.size())
            return false;
        for (const Member &member : a->members) {
            const Member *other = findMember(b, member.name);
            if (!other || !same(&member.value, &other->value))
                return false;
        }
        return true;
    }
    return false;
}

bool isObject(const Node *node)
{
    return node && node->type == Node::Type::Object;
}

struct OutMember;

// The merged value: a side's text as it is, or an object written again from merged members.
struct Out
{
    enum class Kind {
        Absent,
        Raw,
        Object
    };
    Kind kind = Kind::Absent;
    QByteArray raw;
    const Node *layout = nullptr; // Object: the object whose layout it is written in
    std::vector<OutMember> members;
};

struct OutMember
{
    QByteArray key;
    Out value;
};

Out take(const Node *node)
{
    Out out;
    if (node) {
        out.kind = Out::Kind::Raw;
        out.raw = node->raw;
    }
    return out;
}

std::optional<QByteArray> rawOf(const Node *node)
{
    return node ? std::optional<QByteArray>(node->raw) : std::nullopt;
}

QString pointerToken(QString name)
{
    return name.replace(u'~', "~0"_L1).replace(u'/', "~1"_L1);
}

class Merger final
{
public:
    explicit Merger(const KvJsonMerge::Choices &choices)
        : m_choices(choices)
    {
    }

    QList<KvMergeConflict> conflicts;

    Out merge(const Node *base, const Node *ours, const Node *theirs, const QString &path)
    {
        if (same(ours, theirs) || same(base, ours))
            return take(theirs);
        if (same(base, theirs))
            return take(ours);
        if (isObject(ours) && isObject(theirs) && (!base || isObject(base)))
            return mergeObjects(base, ours, theirs, path);
        const auto choice = m_choices.constFind(path);
        if (choice != m_choices.constEnd())
            return take(*choice == KvJsonMerge::Side::Base ? base : *choice == KvJsonMerge::Side::Ours ? ours : theirs);
        conflicts.append({path, rawOf(base), rawOf(ours), rawOf(theirs)});
        return take(theirs);
    }

private:
    // In theirs' order (the current value), then what only ours has, in ours' order.
    Out mergeObjects(const Node *base, const Node *ours, const Node *theirs, const QString &path)
    {
        Out out;
        out.kind = Out::Kind::Object;
        out.layout = theirs;
        QStringList names;
        for (const Member &member : theirs->members)
            names.append(member.name);
        for (const Member &member : ours->members) {
            if (!findMember(theirs, member.name))
                names.append(member.name);
        }
        for (const QString &name : std::as_const(names)) {
            const Member *b = findMember(base, name);
            const Member *o = findMember(ours, name);
            const Member *t = findMember(theirs, name);
            Out value = merge(b ? &b->value : nullptr, o ? &o->value : nullptr, t ? &t->value : nullptr,
                              path + u'/' + pointerToken(name));
            if (value.kind != Out::Kind::Absent)
                out.members.push_back({(t ? t : o)->key, std::move(value)});
        }
        return out;
    }

    const KvJsonMerge::Choices &m_choices;
};

// How an object is laid out: on one line or one member a line, its indents and spacing.
struct Layout
{
    bool indented = false;
    QByteArray newline = "\n";
    QByteArray memberIndent;
    QByteArray closeIndent;
    QByteArray colon = ":";
    QByteArray comma = ","; // with what follows it on one line
};

QByteArray spaceRun(const QByteArray &raw, qsizetype from)
{
    qsizetype end = from;
    while (end < raw.size() && (raw[end] == ' ' || raw[end] == '\t'))
        ++end;
    return raw.mid(from, end - from);
}

Layout layoutOf(const Node &object)
{
    Layout layout;
    const QByteArray &raw = object.raw;
    layout.indented = raw.contains('\n');
    if (raw.contains("\r\n"))
        layout.newline = "\r\n";
    if (layout.indented) {
        layout.memberIndent = spaceRun(raw, raw.indexOf('\n') + 1);
        layout.closeIndent = spaceRun(raw, raw.lastIndexOf('\n') + 1);
    } else if (raw.contains(", ")) {
        layout.comma = ", ";
    }
    if (!object.members.empty()) {
        const QByteArray &key = object.members.front().key;
        const qsizetype after = raw.indexOf(key) + key.size();
        const qsizetype colon = raw.indexOf(':', after);
        layout.colon = raw.mid(after, colon + 1 - after) + spaceRun(raw, colon + 1);
    }
    return layout;
}

void write(const Out &out, QByteArray *to)
{
    if (out.kind != Out::Kind::Object) {
        to->append(out.raw);
        return;
    }
    const Layout layout = layoutOf(*out.layout);
    to->append('{');
    for (size_t i = 0; i < out.members.size(); ++i) {
        if (layout.indented)
            to->append(i > 0 ? "," : "").append(layout.newline).append(layout.memberIndent);
        else if (i > 0)
            to->append(layout.comma);
        to->append(out.members[i].key).append(layout.colon);
        write(out.members[i].value, to);
    }
    if (layout.indented && !out.members.empty())
        to->append(layout.newline).append(layout.closeIndent);
    to->append('}');
}

KvMergeResult merged(const QByteArray &bytes)
{
    KvMergeResult result;
    result.kind = KvMergeResult::Kind::Json;
    result.status = KvMergeResult::Status::Merged;
    result.merged = bytes;
    return result;
}

} // namespace

bool KvJsonMerge::isJson(const QByteArray &value)
{
    Node root;
    return parseJson(value, &root);
}

bool KvJsonMerge::sameValue(const QByteArray &a, const QByteArray &b)
{
    Node first, second;
    return parseJson(a, &first) && parseJson(b, &second) && same(&first, &second);
}

KvMergeResult KvJsonMerge::merge(const QByteArray &base, const QByteArray &ours, const QByteArray &theirs,
                                 const Choices &choices)
{
    Node b, o, t;
    if (!parseJson(base, &b) || !parseJson(ours, &o) || !parseJson(theirs, &t))
        return KvMergeResult::refused(tr("the values are not all JSON"));
    // One side changed: its bytes as they are. Bytes first, so a side changed in layout only is kept
    // when the other did not change at all.
    if (base == theirs && ours != theirs)
        return merged(ours);
    if (base == ours || ours == theirs)
        return merged(theirs);
    if (same(&b, &t))
        return merged(ours);
    if (same(&b, &o) || same(&o, &t))
        return merged(theirs);
    Merger merger(choices);
    const Out out = merger.merge(&b, &o, &t, QString());
    if (!merger.conflicts.isEmpty()) {
        KvMergeResult result;
        result.kind = KvMergeResult::Kind::Json;
        result.status = KvMergeResult::Status::Conflicts;
        result.conflicts = merger.conflicts;
        return result;
    }
    // Around the value, the current value's own whitespace (a trailing newline).
    const qsizetype begin = theirs.indexOf(t.raw);
    QByteArray text = theirs.left(begin);
    write(out, &text);
    text.append(theirs.mid(begin + t.raw.size()));
    return merged(text);
}

QString KvJsonMerge::oneLine(const std::optional<QByteArray> &member)
{
    if (!member)
        return tr("(absent)");
    QByteArray line;
    bool inString = false;
    for (qsizetype i = 0; i < member->size(); ++i) {
        const char c = member->at(i);
        if (inString && c == '\\' && i + 1 < member->size()) {
            line.append(c).append(member->at(++i));
            continue;
        }
        if (c == '"')
            inString = !inString;
        if (inString || !isSpace(c))
            line.append(c);
    }
    return QString::fromUtf8(line);
}
