// wemoe-studio: the desktop studio of WEMoE Studio (everything lives in wemoe_ui).

#include "studio_app.h"

int main(int argc, char *argv[])
{
    return wemoe::ui::runStudio(argc, argv);
}
