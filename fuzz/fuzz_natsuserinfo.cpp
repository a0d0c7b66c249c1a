#include "fuzzsupport.h"

#include "natsuserinfo.h"

#include <algorithm>

// NatsUserInfo::parse on a $SYS.REQ.USER.INFO answer (the input is the message payload), and the permission
// evaluator on the patterns it reads.
//
// Properties: an answer that parses has known permissions with no empty pattern; every valid pattern
// (no empty token, ">" only last) matches, covers and overlaps itself; a literal subject some deny pattern
// matches may never be published to (deny beats allow), and one an allow pattern matches, denied by none,
// may be.

namespace {

bool isValidPattern(const QByteArray &pattern)
{
    const QByteArrayList tokens = pattern.split('.');
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        if (tokens[i].isEmpty() || (tokens[i] == ">" && i != tokens.size() - 1))
            return false;
    }
    return true;
}

bool isLiteral(const QByteArray &subject)
{
    return !subject.split('.').contains("*") && !subject.split('.').contains(">");
}

void checkRules(const NatsPermissions &permissions)
{
    const NatsPermissions::Rules &rules = permissions.publishRules();
    for (const QByteArrayList *list : {&rules.allow, &rules.deny}) {
        for (const QByteArray &pattern : *list) {
            FUZZ_CHECK(!pattern.isEmpty());
            if (!isValidPattern(pattern))
                continue;
            FUZZ_CHECK(NatsPermissions::matches(pattern, pattern));
            FUZZ_CHECK(NatsPermissions::covers(pattern, pattern));
            FUZZ_CHECK(NatsPermissions::overlaps(pattern, pattern));
        }
    }
    for (const QByteArray &deny : rules.deny) {
        if (isValidPattern(deny) && isLiteral(deny))
            FUZZ_CHECK(!permissions.mayPublish(deny));
    }
    for (const QByteArray &allow : rules.allow) {
        if (!isValidPattern(allow) || !isLiteral(allow))
            continue;
        const bool denied = std::any_of(rules.deny.cbegin(), rules.deny.cend(), [&allow](const QByteArray &deny) {
            return NatsPermissions::matches(deny, allow);
        });
        FUZZ_CHECK(permissions.mayPublish(allow) == !denied);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    NatsUserInfo info;
    QString problem;
    if (!NatsUserInfo::parse(fuzzInput(data, size), &info, &problem)) {
        FUZZ_CHECK(!problem.isEmpty());
        FUZZ_CHECK(!info.permissions.isKnown()); // *out untouched on failure
        return 0;
    }
    FUZZ_CHECK(info.permissions.isKnown());
    checkRules(info.permissions);
    return 0;
}
