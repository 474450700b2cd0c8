// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/capture_file_box.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace procscope::ui {

namespace {

constexpr std::uint64_t kMiB = std::uint64_t(1) << 20;
constexpr std::uint64_t kSecondNs = 1'000'000'000;
// Unit choices: the combo's data is the unit's size.
const std::uint64_t kSizeUnits[] = { kMiB, kMiB << 10 };
const std::uint64_t kAgeUnits[] = { 60 * kSecondNs, 3600 * kSecondNs, 86400 * kSecondNs };

// The largest unit that divides `value` (so 36 h stays 36 hours, 2 d shows as 2 days).
int unitFor(std::uint64_t value, const std::uint64_t* units, int count)
{
    for (int i = count - 1; i > 0; --i) {
        if (value % units[i] == 0)
            return i;
    }
    return 0;
}

} // namespace

CaptureFileBox::CaptureFileBox(QWidget* parent)
    : QGroupBox(tr("Save as it arrives"), parent)
    , m_write(new QCheckBox(tr("&Write the capture to:"), this))
    , m_path(new QLineEdit(this))
    , m_bySize(new QCheckBox(tr("Keep only the &newest"), this))
    , m_size(new QSpinBox(this))
    , m_sizeUnit(new QComboBox(this))
    , m_byAge(new QCheckBox(tr("Keep only the &last"), this))
    , m_age(new QSpinBox(this))
    , m_ageUnit(new QComboBox(this))
    , m_note(new QLabel(this))
{
    m_path->setAccessibleName(tr("File to write the capture to"));
    m_path->setPlaceholderText(QDir::homePath() + u"/capture.pscap"_qs);
    auto* browse = new QPushButton(tr("&Browse..."), this);
    browse->setAccessibleName(tr("Choose the file to write the capture to"));
    m_size->setRange(1, 1023);
    m_size->setValue(2);
    m_size->setAccessibleName(tr("Size the ring keeps"));
    m_sizeUnit->addItem(tr("MiB"));
    m_sizeUnit->addItem(tr("GiB"));
    m_sizeUnit->setCurrentIndex(1);
    m_sizeUnit->setAccessibleName(tr("Unit of the size the ring keeps"));
    m_age->setRange(1, 999);
    m_age->setValue(12);
    m_age->setAccessibleName(tr("Time the ring keeps"));
    m_ageUnit->addItem(tr("minutes"));
    m_ageUnit->addItem(tr("hours"));
    m_ageUnit->addItem(tr("days"));
    m_ageUnit->setCurrentIndex(1);
    m_ageUnit->setAccessibleName(tr("Unit of the time the ring keeps"));
    m_bySize->setToolTip(tr("Write a ring of files, as dumpcap does, and delete the oldest to stay within this size"));
    m_byAge->setToolTip(tr("Write a ring of files, and delete those whose events are older than this"));
    m_note->setWordWrap(true);

    auto* grid = new QGridLayout(this);
    grid->addWidget(m_write, 0, 0);
    grid->addWidget(m_path, 0, 1, 1, 2);
    grid->addWidget(browse, 0, 3);
    grid->addWidget(m_bySize, 1, 0);
    grid->addWidget(m_size, 1, 1);
    grid->addWidget(m_sizeUnit, 1, 2);
    grid->addWidget(m_byAge, 2, 0);
    grid->addWidget(m_age, 2, 1);
    grid->addWidget(m_ageUnit, 2, 2);
    grid->addWidget(m_note, 3, 0, 1, 4);
    grid->setColumnStretch(1, 1);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString start = m_path->text().isEmpty() ? m_path->placeholderText() : m_path->text();
        QString path = QFileDialog::getSaveFileName(this, tr("Write the Capture to"), start, tr("Procscope captures (*.pscap)"));
        if (path.isEmpty())
            return;
        if (QFileInfo(path).suffix().isEmpty())
            path += u".pscap"_qs;
        m_path->setText(path);
        m_write->setChecked(true);
    });
    connect(m_path, &QLineEdit::textEdited, this, [this](const QString& text) { m_write->setChecked(!text.trimmed().isEmpty()); });
    for (QCheckBox* box : { m_write, m_bySize, m_byAge })
        connect(box, &QCheckBox::toggled, this, &CaptureFileBox::update);
    connect(m_path, &QLineEdit::textChanged, this, &CaptureFileBox::update);
    for (QSpinBox* spin : { m_size, m_age })
        connect(spin, &QSpinBox::valueChanged, this, &CaptureFileBox::update);
    for (QComboBox* combo : { m_sizeUnit, m_ageUnit })
        connect(combo, &QComboBox::currentIndexChanged, this, &CaptureFileBox::update);
    update();
}

void CaptureFileBox::setWritePath(const QString& path, bool write)
{
    m_path->setText(path);
    m_write->setChecked(write && !path.isEmpty());
}

QString CaptureFileBox::writePath() const
{
    return m_write->isChecked() ? m_path->text().trimmed() : QString();
}

void CaptureFileBox::setRing(const capture::RingLimits& ring)
{
    m_bySize->setChecked(ring.maxBytes != 0);
    if (ring.maxBytes != 0) {
        const int unit = unitFor(ring.maxBytes, kSizeUnits, 2);
        m_sizeUnit->setCurrentIndex(unit);
        m_size->setValue(static_cast<int>(std::min<std::uint64_t>(ring.maxBytes / kSizeUnits[unit], 1023)));
    }
    m_byAge->setChecked(ring.keepNs != 0);
    if (ring.keepNs != 0) {
        const int unit = unitFor(ring.keepNs, kAgeUnits, 3);
        m_ageUnit->setCurrentIndex(unit);
        m_age->setValue(static_cast<int>(std::min<std::uint64_t>(ring.keepNs / kAgeUnits[unit], 999)));
    }
}

capture::RingLimits CaptureFileBox::ring() const
{
    capture::RingLimits ring;
    if (writePath().isEmpty())
        return ring;
    if (m_bySize->isChecked())
        ring.maxBytes = std::uint64_t(m_size->value()) * kSizeUnits[m_sizeUnit->currentIndex()];
    if (m_byAge->isChecked())
        ring.keepNs = std::uint64_t(m_age->value()) * kAgeUnits[m_ageUnit->currentIndex()];
    return ring;
}

void CaptureFileBox::setOnlyThisMachine(bool only)
{
    if (only == m_onlyThisMachine)
        return;
    m_onlyThisMachine = only;
    update();
}

QString CaptureFileBox::problem() const
{
    if (m_write->isChecked() && m_path->text().trimmed().isEmpty())
        return tr("Choose the file to write the capture to.");
    if (ring().any() && !m_onlyThisMachine)
        return tr("A ring of files is written for this machine alone: untick the other hosts, or the ring.");
    return {};
}

void CaptureFileBox::update()
{
    const bool writing = m_write->isChecked();
    m_path->setEnabled(writing);
    for (QWidget* w : std::initializer_list<QWidget*> { m_bySize, m_byAge })
        w->setEnabled(writing);
    m_size->setEnabled(writing && m_bySize->isChecked());
    m_sizeUnit->setEnabled(writing && m_bySize->isChecked());
    m_age->setEnabled(writing && m_byAge->isChecked());
    m_ageUnit->setEnabled(writing && m_byAge->isChecked());
    const QString problem = this->problem();
    QString note;
    if (!problem.isEmpty())
        note = problem;
    else if (ring().any())
        note = tr("Written as numbered files next to the chosen name; the oldest are deleted as new ones start. "
                  "Open any of them to see all that is kept. Older files of the same name are replaced.");
    else if (writing)
        note = tr("The whole capture is written to this one file (it stops cleanly before the disk is full).");
    m_note->setText(note);
    m_note->setStyleSheet(problem.isEmpty() ? QString() : u"color: #b03020"_qs);
    m_note->setVisible(!note.isEmpty());
    emit changed();
}

} // namespace procscope::ui
