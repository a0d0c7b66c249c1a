#pragma once

#include <QtWidgets/QLabel>

// An inline message under the field or panel it concerns: hidden when empty, in the error colour.
class ErrorLabel final : public QLabel
{
    Q_OBJECT

public:
    explicit ErrorLabel(QWidget *parent = nullptr);

    void setMessage(const QString &message);
    void setInfo(const QString &message); // same place, normal colour (e.g. "Saved as rev 12")
    QString message() const { return text(); }
    bool isError() const { return m_error; }

private:
    // Also called again when the application palette changes (View → Theme).
    void applyColor(bool error);

    bool m_error = false;
};
