// SPDX-License-Identifier: GPL-3.0-or-later
#include "document/view_options.h"

#include <QSettings>

namespace procscope::ui {

ViewOptions::ViewOptions(QObject* parent)
    : QObject(parent)
{
}

void ViewOptions::setShowHelper(bool show)
{
    if (show == m_showHelper)
        return;
    m_showHelper = show;
    emit showHelperChanged(show);
}

void ViewOptions::setFollowNew(bool follow)
{
    if (follow == m_followNew)
        return;
    m_followNew = follow;
    emit followNewChanged(follow);
}

void ViewOptions::setHideExitedSeconds(int seconds)
{
    seconds = std::max(seconds, 0);
    if (seconds == m_hideExitedSeconds)
        return;
    m_hideExitedSeconds = seconds;
    emit hideExitedSecondsChanged(seconds);
}

void ViewOptions::restore(const QSettings& settings)
{
    setShowHelper(settings.value(u"tree/showHelper"_qs, false).toBool());
    setFollowNew(settings.value(u"tree/follow"_qs, false).toBool());
    setHideExitedSeconds(settings.value(u"tree/hideExitedSeconds"_qs, 0).toInt());
}

void ViewOptions::save(QSettings& settings) const
{
    settings.setValue(u"tree/showHelper"_qs, m_showHelper);
    settings.setValue(u"tree/follow"_qs, m_followNew);
    settings.setValue(u"tree/hideExitedSeconds"_qs, m_hideExitedSeconds);
}

} // namespace procscope::ui
