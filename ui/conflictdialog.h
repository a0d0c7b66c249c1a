#pragma once

#include "kventry.h"

#include <QtWidgets/QDialog>
#include <QtWidgets/QDialogButtonBox>

class DiffView;
class QLabel;
class QPushButton;
class QTimer;

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
    // Theirs as shown when the choice was made.
    quint64 theirsRevision() const { return m_theirs.revision; }
    // Someone changed the key again while the dialog is open: theirs is now this newer revision.
    void setTheirs(const KvEntry &theirs, const QString &theirsText);
    // The edit started from another bucket under this name (deleted and made again, another server's
    // copy): why, said instead of "someone else saved" (its revision numbers are not this bucket's).
    void setElsewhere(const QString &why);

private:
    void showTheirs(const KvEntry &theirs, const QString &theirsText, bool again);
    void enableChoices(bool enable);
    QString introText(const KvEntry &theirs, bool again) const;
    QDialogButtonBox *createButtons();
    QPushButton *addChoice(QDialogButtonBox *buttons, const QString &text, QDialogButtonBox::ButtonRole role,
                           const QString &objectName, Choice choice);

    QString m_key;
    QString m_mine;
    quint64 m_baseRevision;
    KvEntry m_theirs;
    QString m_elsewhere;
    QLabel *m_intro = nullptr;
    DiffView *m_diff = nullptr;
    QPushButton *m_overwrite = nullptr;
    QPushButton *m_take = nullptr;
    QPushButton *m_merge = nullptr;
    bool m_mergePossible = false;
    // After theirs changed under the pointer: the choices on it wait until it can have been seen.
    QTimer *m_settle = nullptr;
    Choice m_choice = Choice::KeepEditing;
};
