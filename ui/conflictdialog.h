#pragma once

#include "kventry.h"

#include <QtWidgets/QDialog>
#include <QtWidgets/QDialogButtonBox>

class QLabel;
class QPushButton;

// Shown when a save is refused because someone else changed the key: the user's version beside the
// newer one, and a choice — overwrite (an update on the newer revision), take theirs, merge both (the
// revision opened as the base), or keep editing.
class ConflictDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Choice {
        KeepEditing,
        Overwrite,
        TakeTheirs,
        Merge
    };

    ConflictDialog(const QString &key, const QString &mine, quint64 baseRevision, const KvEntry &theirs,
                   const QString &theirsText, QWidget *parent = nullptr);

    Choice choice() const { return m_choice; }

private:
    QLabel *createIntro(const QString &key, quint64 baseRevision, const KvEntry &theirs);
    QDialogButtonBox *createButtons(quint64 baseRevision, const KvEntry &theirs);
    QPushButton *addChoice(QDialogButtonBox *buttons, const QString &text, QDialogButtonBox::ButtonRole role,
                           const QString &objectName, Choice choice);

    Choice m_choice = Choice::KeepEditing;
};
