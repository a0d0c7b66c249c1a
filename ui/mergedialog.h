#pragma once

#include "kvjsonmerge.h"
#include "kvmergeresult.h"

#include <QtWidgets/QDialog>

class QComboBox;
class QPushButton;
class QTableWidget;

// The JSON members both sides changed differently, side by side (the base, yours, theirs), each with a
// choice of the version to keep. Saving needs a choice for every member; Cancel keeps editing.
class MergeDialog final : public QDialog
{
    Q_OBJECT

public:
    MergeDialog(const QString &key, const QList<KvMergeConflict> &conflicts, quint64 baseRevision,
                quint64 theirsRevision, QWidget *parent = nullptr);

    KvJsonMerge::Choices choices() const;

private:
    QTableWidget *createTable(quint64 baseRevision, quint64 theirsRevision);
    QComboBox *choiceBox();
    void chooseAll(KvJsonMerge::Side side);
    void updateSave();

    QList<KvMergeConflict> m_conflicts;
    QList<QComboBox *> m_choices;
    QPushButton *m_save = nullptr;
};
