/*
 * faults_text — the faults section of the text summary: each fault the
 * run recorded (model/ecs/faults.h: "fault" and "fault_impact" facts) with
 * what it did to each service, and the cost split by purchase option when
 * the run had Spot capacity (the "run" fact's costOnDemandUSD and
 * costSpotUSD). Reads the recorder only; writes nothing when there is
 * neither.
 */
#ifndef REPORTS_FAULTS_TEXT_H
#define REPORTS_FAULTS_TEXT_H

#include "reports/rout.h"
#include "sim/recorder.h"

/* Write the section to o. */
void rfaults_text(rout *o, const recorder *r);

#endif
