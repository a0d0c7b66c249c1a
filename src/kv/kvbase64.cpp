#include "kvbase64.h"

namespace KvBase64 {

std::optional<QByteArray> decode(const QByteArray &text, QByteArray::Base64Options options)
{
    const auto result = QByteArray::fromBase64Encoding(text, options | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    // Encoded again, the value must give the same characters: a character left over, or one whose
    // unused low bits are set, would not come back.
    QByteArray unpadded = text;
    while (unpadded.endsWith('='))
        unpadded.chop(1);
    const QByteArray again = result.decoded.toBase64((options & QByteArray::Base64UrlEncoding)
                                                     | QByteArray::OmitTrailingEquals);
    if (again != unpadded)
        return std::nullopt;
    return result.decoded;
}

} // namespace KvBase64
