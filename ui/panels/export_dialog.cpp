#include "panels/export_dialog.h"

#include <QtCore/QDir>
#include <QtCore/QEvent>
#include <QtCore/QFileInfo>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

namespace wemoe::ui {

namespace {

// The name a target of each kind gets in the default folder.
QString defaultName(ExportKind kind)
{
    switch (kind) {
    case ExportKind::MergedModel: return QStringLiteral("merged-model");
    case ExportKind::WemoeModel: return QStringLiteral("wemoe-model.safetensors");
    case ExportKind::CollapsedModels: return QStringLiteral("wemoe-collapsed");
    }
    return QString();
}

} // namespace

ExportDialog::ExportDialog(const QVector<ExportChoice> &choices, const QString &preselectedRow,
                           const QString &defaultFolder, QWidget *parent)
    : QDialog(parent)
    , m_choices(choices)
    , m_choice(new QComboBox(this))
    , m_folder(new QLineEdit(this))
    , m_dtype(new QComboBox(this))
    , m_browse(new QPushButton(this))
    , m_export(nullptr)
    , m_choiceLabel(new QLabel(this))
    , m_targetLabel(new QLabel(this))
    , m_dtypeLabel(new QLabel(this))
{
    // Texts and tooltips: retranslateUi().
    int preselected = -1;
    for (int i = 0; i < choices.size(); ++i) {
        m_choice->addItem(QString());
        if (preselected < 0 && choices.at(i).row == preselectedRow)
            preselected = i;
    }
    m_folder->setText(QDir(defaultFolder).filePath(defaultName(choices.value(0).kind)));
    connect(m_browse, &QPushButton::clicked, this, &ExportDialog::browse);
    m_dtype->addItem(QString(), QStringLiteral("keep"));
    m_dtype->addItem(QStringLiteral("float32"), QStringLiteral("f32"));
    m_dtype->addItem(QStringLiteral("float16"), QStringLiteral("f16"));
    m_dtype->addItem(QStringLiteral("bfloat16"), QStringLiteral("bf16"));

    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(m_browse);
    m_choiceLabel->setBuddy(m_choice);
    m_targetLabel->setBuddy(m_folder);
    m_dtypeLabel->setBuddy(m_dtype);
    auto *form = new QFormLayout;
    form->addRow(m_choiceLabel, m_choice);
    form->addRow(m_targetLabel, folderRow);
    form->addRow(m_dtypeLabel, m_dtype);
    // Cancel is Qt's (it retranslates itself); "Export" is a button of our own
    // in the accept role, so Qt's retranslation of "OK" does not replace it.
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_export = buttons->addButton(QString(), QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    retranslateUi();
    resize(640, sizeHint().height());

    connect(m_choice, &QComboBox::currentIndexChanged, this, &ExportDialog::onChoiceChanged);
    if (preselected > 0)
        m_choice->setCurrentIndex(preselected);
    else
        onChoiceChanged();
}

void ExportDialog::retranslateUi()
{
    setWindowTitle(tr("Export model"));
    for (int i = 0; i < m_choices.size(); ++i)
        m_choice->setItemText(i, describe(m_choices.at(i)));
    m_choice->setToolTip(tr("What to write: the merged model of a finished method (a Hugging Face folder), the WEMoE "
                            "model with its routers (one .safetensors file the studio and the command line reload), "
                            "or WEMoE collapsed into one plain model per task (each block's MLP merged at the routing "
                            "weights averaged over that task's test images). Default: the selected row."));
    m_folder->setToolTip(tr("Where to write: a folder (merged and collapsed models) or a .safetensors file (the WEMoE "
                            "model). It is assembled beside this path and moved into place when complete."));
    m_browse->setText(tr("Browse…"));
    m_dtype->setItemText(0, tr("as the pretrained checkpoint"));
    m_dtype->setToolTip(tr("Storage type of the written weights of Hugging Face folders. Default: the pretrained "
                           "checkpoint's. A WEMoE model file keeps the model's own types."));
    m_choiceLabel->setText(tr("Export"));
    m_targetLabel->setText(tr("Target"));
    m_dtypeLabel->setText(tr("Weights"));
    m_export->setText(tr("Export"));
}

void ExportDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

QString ExportDialog::describe(const ExportChoice &choice)
{
    switch (choice.kind) {
    case ExportKind::MergedModel: return tr("%1 — merged model (Hugging Face folder)").arg(choice.row);
    case ExportKind::WemoeModel: return tr("%1 — WEMoE model with routers (.safetensors file)").arg(choice.row);
    case ExportKind::CollapsedModels: return tr("%1 — collapsed, one Hugging Face folder per task").arg(choice.row);
    }
    return choice.row;
}

ExportChoice ExportDialog::choice() const
{
    return m_choices.value(m_choice->currentIndex());
}

QString ExportDialog::folder() const
{
    return QDir::cleanPath(QDir::fromNativeSeparators(m_folder->text().trimmed()));
}

QString ExportDialog::dtype() const
{
    return m_dtype->currentData().toString();
}

void ExportDialog::onChoiceChanged()
{
    const ExportKind kind = choice().kind;
    m_dtype->setEnabled(kind != ExportKind::WemoeModel);
    // The proposed target follows the kind: a file name for the WEMoE model, a folder otherwise.
    const QFileInfo current(folder());
    const QString name = current.fileName();
    const bool proposed = name == defaultName(ExportKind::MergedModel) || name == defaultName(ExportKind::WemoeModel)
                          || name == defaultName(ExportKind::CollapsedModels) || name.isEmpty();
    if (proposed)
        m_folder->setText(QDir::toNativeSeparators(QDir(current.absolutePath()).filePath(defaultName(kind))));
}

void ExportDialog::browse()
{
    const QString start = folder().isEmpty() ? QDir::homePath() : folder();
    QString chosen;
    if (choice().kind == ExportKind::WemoeModel)
        chosen = QFileDialog::getSaveFileName(this, tr("Export the WEMoE model to"), start,
                                              tr("WEMoE model (*.safetensors)"), nullptr,
                                              QFileDialog::DontConfirmOverwrite); // accept() asks
    else
        chosen = QFileDialog::getSaveFileName(this, tr("Export to folder"), start, QString(), nullptr,
                                              QFileDialog::ShowDirsOnly);
    if (!chosen.isEmpty())
        m_folder->setText(QDir::toNativeSeparators(chosen));
}

void ExportDialog::accept()
{
    if (m_folder->text().trimmed().isEmpty()) {
        QMessageBox::warning(this, windowTitle(), tr("Choose where to export to."));
        return;
    }
    const QString path = folder();
    const QFileInfo target(path);
    m_overwrite = false;
    if (choice().kind == ExportKind::WemoeModel) {
        if (target.isDir()) {
            QMessageBox::warning(
                this, windowTitle(),
                tr("%1 is a folder; a WEMoE model is written as one file.").arg(QDir::toNativeSeparators(path)));
            return;
        }
        if (target.exists()) {
            const auto answer = QMessageBox::question(
                this, windowTitle(), tr("%1 already exists. Replace it?").arg(QDir::toNativeSeparators(path)),
                QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
            if (answer != QMessageBox::Yes)
                return;
            m_overwrite = true;
        }
        QDialog::accept();
        return;
    }
    if (target.exists()) {
        if (!target.isDir()) {
            QMessageBox::warning(this, windowTitle(),
                                 tr("%1 is a file, not a folder.").arg(QDir::toNativeSeparators(path)));
            return;
        }
        if (!QDir(path).isEmpty()) {
            const auto answer = QMessageBox::question(
                this, windowTitle(), tr("%1 already exists. Replace it?").arg(QDir::toNativeSeparators(path)),
                QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
            if (answer != QMessageBox::Yes)
                return;
        }
        m_overwrite = true; // an empty folder is replaced without asking
    }
    QDialog::accept();
}

} // namespace wemoe::ui
