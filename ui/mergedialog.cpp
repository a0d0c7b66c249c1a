#include "mergedialog.h"

#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

using Side = KvJsonMerge::Side;

namespace {

enum Column {
    Where,
    Base,
    Ours,
    Theirs,
    Take,
    ColumnCount
};

QTableWidgetItem *valueItem(const std::optional<QByteArray> &value)
{
    auto *item = new QTableWidgetItem(KvJsonMerge::oneLine(value));
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (value) // the member as written, indents and all
        item->setToolTip(QString::fromUtf8(*value));
    else
        item->setForeground(QPalette().color(QPalette::Disabled, QPalette::Text));
    return item;
}

} // namespace

MergeDialog::MergeDialog(const QString &key, const QList<KvMergeConflict> &conflicts, quint64 baseRevision,
                         quint64 theirsRevision, QWidget *parent)
    : QDialog(parent)
    , m_conflicts(conflicts)
{
    setObjectName(u"mergeDialog"_s);
    setWindowTitle(tr("Merge Conflicts"));
    auto *intro = new QLabel(tr("Everything else in <b>%1</b> merged. These members were changed both by you (since "
                                "revision %2) and in revision %3, differently: choose the version to keep of each.")
                                 .arg(key.toHtmlEscaped())
                                 .arg(baseRevision)
                                 .arg(theirsRevision),
                             this);
    intro->setWordWrap(true);

    QTableWidget *table = createTable(baseRevision, theirsRevision);

    auto *buttons = new QDialogButtonBox(this);
    m_save = buttons->addButton(tr("&Save Merge"), QDialogButtonBox::AcceptRole);
    m_save->setObjectName(u"mergeSaveButton"_s);
    QPushButton *allOurs = buttons->addButton(tr("All &Yours"), QDialogButtonBox::ActionRole);
    allOurs->setObjectName(u"mergeAllOurs"_s);
    allOurs->setToolTip(tr("Keep your side in every conflict"));
    QPushButton *allTheirs = buttons->addButton(tr("All &Theirs"), QDialogButtonBox::ActionRole);
    allTheirs->setObjectName(u"mergeAllTheirs"_s);
    allTheirs->setToolTip(tr("Keep the other writer's side in every conflict"));
    QPushButton *keep = buttons->addButton(tr("&Keep Editing"), QDialogButtonBox::RejectRole);
    keep->setObjectName(u"mergeKeepEditing"_s);
    keep->setToolTip(tr("Nothing is saved; your text stays in the editor"));
    connect(m_save, &QPushButton::clicked, this, &QDialog::accept);
    connect(keep, &QPushButton::clicked, this, &QDialog::reject);
    connect(allOurs, &QPushButton::clicked, this, [this] { chooseAll(Side::Ours); });
    connect(allTheirs, &QPushButton::clicked, this, [this] { chooseAll(Side::Theirs); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(table, 1);
    layout->addWidget(buttons);
    resize(900, 360);
    updateSave();
}

QTableWidget *MergeDialog::createTable(quint64 baseRevision, quint64 theirsRevision)
{
    auto *table = new QTableWidget(int(m_conflicts.size()), ColumnCount, this);
    table->setObjectName(u"mergeTable"_s);
    table->setAccessibleName(tr("Conflicting members"));
    table->setAccessibleDescription(tr("Each member changed differently on both sides: its base, your and their "
                                       "value, and which to keep"));
    table->setHorizontalHeaderLabels({tr("Member"), tr("Base (revision %1)").arg(baseRevision), tr("Yours"),
                                      tr("Theirs (revision %1)").arg(theirsRevision), tr("Keep")});
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(Take, QHeaderView::ResizeToContents);
    for (int row = 0; row < m_conflicts.size(); ++row) {
        const KvMergeConflict &conflict = m_conflicts[row];
        auto *where = new QTableWidgetItem(conflict.where.isEmpty() ? tr("(the whole value)") : conflict.where);
        where->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        table->setItem(row, Where, where);
        table->setItem(row, Base, valueItem(conflict.base));
        table->setItem(row, Ours, valueItem(conflict.ours));
        table->setItem(row, Theirs, valueItem(conflict.theirs));
        QComboBox *choice = choiceBox();
        choice->setObjectName(u"mergeChoice%1"_s.arg(row));
        choice->setAccessibleName(tr("Keep for %1").arg(where->text()));
        choice->setToolTip(tr("Which value %1 takes in the merge").arg(where->text()));
        table->setCellWidget(row, Take, choice);
        m_choices.append(choice);
    }
    return table;
}

// Nothing is chosen at first: each member is decided by the user, not by a default.
QComboBox *MergeDialog::choiceBox()
{
    auto *box = new QComboBox(this);
    box->addItem(tr("Choose…"));
    box->addItem(tr("Yours"), int(Side::Ours));
    box->addItem(tr("Theirs"), int(Side::Theirs));
    box->addItem(tr("Base"), int(Side::Base));
    connect(box, &QComboBox::currentIndexChanged, this, &MergeDialog::updateSave);
    return box;
}

void MergeDialog::chooseAll(Side side)
{
    for (QComboBox *box : std::as_const(m_choices))
        box->setCurrentIndex(box->findData(int(side)));
}

void MergeDialog::updateSave()
{
    int open = 0;
    for (const QComboBox *box : std::as_const(m_choices))
        open += box->currentData().isValid() ? 0 : 1;
    m_save->setEnabled(open == 0);
    m_save->setToolTip(open == 0 ? tr("Save the merge as a new revision")
                                 : tr("Choose the version to keep of each member (%1 left)").arg(open));
}

KvJsonMerge::Choices MergeDialog::choices() const
{
    KvJsonMerge::Choices choices;
    for (int row = 0; row < m_choices.size(); ++row) {
        const QVariant side = m_choices[row]->currentData();
        if (side.isValid())
            choices.insert(m_conflicts[row].where, Side(side.toInt()));
    }
    return choices;
}
