#include "panels/export_dialog.h"

#include <QtCore/QDir>
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

ExportDialog::ExportDialog(const QStringList &rows, const QString &preselected, const QString &defaultFolder,
                           QWidget *parent)
    : QDialog(parent)
    , m_row(new QComboBox(this))
    , m_folder(new QLineEdit(this))
    , m_dtype(new QComboBox(this))
{
    setWindowTitle(tr("Export merged model"));
    m_row->addItems(rows);
    if (const int index = rows.indexOf(preselected); index >= 0)
        m_row->setCurrentIndex(index);
    m_row->setToolTip(tr("The finished method whose merged model is rebuilt and written."));
    m_folder->setText(defaultFolder);
    m_folder->setToolTip(tr("The Hugging Face model folder to write (config.json + model.safetensors). "
                            "It is assembled beside this path and moved into place when complete."));
    auto *browseButton = new QPushButton(tr("Browse…"), this);
    connect(browseButton, &QPushButton::clicked, this, &ExportDialog::browse);
    m_dtype->addItem(tr("as the pretrained checkpoint"), QStringLiteral("keep"));
    m_dtype->addItem(QStringLiteral("float32"), QStringLiteral("f32"));
    m_dtype->addItem(QStringLiteral("float16"), QStringLiteral("f16"));
    m_dtype->addItem(QStringLiteral("bfloat16"), QStringLiteral("bf16"));
    m_dtype->setToolTip(tr("Storage type of the written weights. Default: the pretrained checkpoint's."));

    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browseButton);
    auto *form = new QFormLayout;
    form->addRow(tr("Method"), m_row);
    form->addRow(tr("Folder"), folderRow);
    form->addRow(tr("Weights"), m_dtype);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
}

QString ExportDialog::rowLabel() const
{
    return m_row->currentText();
}

QString ExportDialog::folder() const
{
    return QDir::cleanPath(QDir::fromNativeSeparators(m_folder->text().trimmed()));
}

QString ExportDialog::dtype() const
{
    return m_dtype->currentData().toString();
}

void ExportDialog::browse()
{
    const QString start = m_folder->text().isEmpty() ? QDir::homePath() : QFileInfo(folder()).absolutePath();
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Export merged model to folder"), folder().isEmpty() ? start : folder(),
                                                        QString(), nullptr, QFileDialog::ShowDirsOnly);
    if (!chosen.isEmpty())
        m_folder->setText(QDir::toNativeSeparators(chosen));
}

void ExportDialog::accept()
{
    if (m_folder->text().trimmed().isEmpty()) {
        QMessageBox::warning(this, windowTitle(), tr("Choose a folder to export to."));
        return;
    }
    const QFileInfo target(folder());
    m_overwrite = false;
    if (target.exists()) {
        if (!target.isDir()) {
            QMessageBox::warning(this, windowTitle(), tr("%1 is a file, not a folder.").arg(QDir::toNativeSeparators(folder())));
            return;
        }
        if (!QDir(folder()).isEmpty()) {
            const auto answer = QMessageBox::question(
                this, windowTitle(),
                tr("%1 already exists. Replace it with the merged model?").arg(QDir::toNativeSeparators(folder())),
                QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
            if (answer != QMessageBox::Yes)
                return;
        }
        m_overwrite = true; // an empty folder is replaced without asking
    }
    QDialog::accept();
}

} // namespace wemoe::ui
