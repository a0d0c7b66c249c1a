#pragma once

#include <QtCore/QByteArray>

#include <optional>

// Base64 read exactly: every character stands for bits of the value. Qt's decoder (even with
// AbortOnBase64DecodingErrors) drops a last character that cannot complete a byte ("YWJjZ" reads as
// "abc"), so a copy cut short would be written as other bytes. Here that, and trailing bits no encoder
// leaves set, are errors. Padding may be there or not.
namespace KvBase64 {

std::optional<QByteArray> decode(const QByteArray &text,
                                 QByteArray::Base64Options options = QByteArray::Base64Encoding);

} // namespace KvBase64
