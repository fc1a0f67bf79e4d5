import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Per-minute, per-node attendance of live rooms, for the minutes' attendance over time. */
export class RoomAttendance1795500000000 implements MigrationInterface {
  name = 'RoomAttendance1795500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "room_attendance" (
                "room_id" uuid NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "node" character varying(36) NOT NULL,
                "count" integer NOT NULL,
                CONSTRAINT "PK_room_attendance" PRIMARY KEY ("room_id", "at", "node")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "room_attendance"
            ADD CONSTRAINT "room_attendance_room_id_fk" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "room_attendance" DROP CONSTRAINT "room_attendance_room_id_fk"
        `);
    await queryRunner.query(`
            DROP TABLE "room_attendance"
        `);
  }
}
