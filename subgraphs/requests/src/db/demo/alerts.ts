/** The call button and motion sensor of two elders living alone, and the alerts they raised. */
import type { Transaction } from '@lianxin/shared';
import { demoId } from '@lianxin/shared/demo';
import { alertRaised } from '../../events/publish.js';
import { DEV_DEVICE_PLATFORM } from '../../settings.js';
import { alerts, devices } from '../schema.js';
import { R, beijing, deliveryCaretaker, deliveryHousehold, deliveryResident, deliverySensor, householdOf, linXiao, liuButton, liuCaretaker, liuGuifang, placed } from './cast.js';

export async function seedDevices(tx: Transaction): Promise<void> {
  await tx
    .insert(devices)
    .values([
      {
        id: liuButton,
        platform: DEV_DEVICE_PLATFORM,
        externalId: 'ziming-callbox-0001',
        householdId: householdOf(liuGuifang.id).id,
        residentId: liuGuifang.id,
        notifyPersonId: liuCaretaker,
        ...placed(liuGuifang.home),
        inactivityHours: 12,
        lastMotionAt: beijing(12, 1, 7, 40),
        registeredById: linXiao.id,
        registeredAt: beijing(2, 20, 10),
      },
      {
        id: deliverySensor,
        platform: DEV_DEVICE_PLATFORM,
        externalId: 'ziming-sensor-0002',
        householdId: deliveryHousehold.id,
        residentId: deliveryResident,
        notifyPersonId: deliveryCaretaker,
        ...placed(deliveryHousehold.address),
        inactivityHours: 12,
        lastMotionAt: beijing(12, 2, 6, 10),
        registeredById: linXiao.id,
        registeredAt: beijing(2, 20, 10, 30),
      },
    ])
    .onConflictDoNothing();
}

export async function seedAlerts(tx: Transaction): Promise<void> {
  // The call button press of the stories' 1 December (acknowledged), and an inactivity alert still open.
  const raised = await tx
    .insert(alerts)
    .values([
      {
        id: demoId(16, 11),
        kind: 'call_button',
        deviceId: liuButton,
        householdId: householdOf(liuGuifang.id).id,
        residentId: liuGuifang.id,
        notifyPersonId: liuCaretaker,
        ...placed(liuGuifang.home),
        raisedAt: beijing(12, 1, 21, 12),
        requestId: R.callButton,
        acknowledgedAt: beijing(12, 1, 21, 14),
        acknowledgedById: liuCaretaker,
        acknowledgementNote: '已电话联系老人，马上上门。',
      },
      {
        id: demoId(16, 12),
        kind: 'inactivity',
        deviceId: deliverySensor,
        householdId: deliveryHousehold.id,
        residentId: deliveryResident,
        notifyPersonId: deliveryCaretaker,
        ...placed(deliveryHousehold.address),
        raisedAt: beijing(12, 2, 18, 10),
      },
    ])
    .onConflictDoNothing()
    .returning();
  // Announced as raising one announces it: the volunteer it notifies finds it in their inbox.
  for (const alert of raised) await alertRaised(tx, alert);
}
