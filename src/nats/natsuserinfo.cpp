#include "natsuserinfo.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

bool NatsUserInfo::parse(const QByteArray &json, NatsUserInfo *out, QString *problem)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    const QJsonObject data = document.object().value("data"_L1).toObject();
    if (!document.isObject() || data.isEmpty()) {
        const QString serverError = document.object().value("error"_L1).toObject().value("description"_L1).toString();
        *problem = !serverError.isEmpty() ? serverError
            : parseError.error != QJsonParseError::NoError
            ? QCoreApplication::translate("NatsUserInfo", "not JSON: %1").arg(parseError.errorString())
            : QCoreApplication::translate("NatsUserInfo", "the answer holds no user data");
        return false;
    }
    NatsUserInfo info;
    info.user = data.value("user"_L1).toString();
    info.account = data.value("account"_L1).toString();
    info.permissions = NatsPermissions::fromJson(data.value("permissions"_L1).toObject());
    *out = info;
    return true;
}
